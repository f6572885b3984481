import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, setUpApp } from './app.setup.js';

async function main(): Promise<void> {
  const app = setUpApp(await NestFactory.create<NestExpressApplication>(AppModule, APP_OPTIONS));
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  new Logger('SampleApp').log(`Sample payment backend ready: open http://localhost:${port}/`);
}

main().catch((error: unknown) => {
  new Logger('SampleApp').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
