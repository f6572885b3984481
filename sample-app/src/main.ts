import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DinteroAuthModuleOptions } from 'nestjs-dintero-auth';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/testing';
import { AppModule } from './app.module.js';
import { readDinteroEnvironment } from './dintero.env.js';

async function main(): Promise<void> {
  const logger = new Logger('SampleApp');
  const real = readDinteroEnvironment(process.env);
  let fake: FakeDinteroServer | undefined;
  let dintero: DinteroAuthModuleOptions;
  if (real) {
    dintero = { ...real };
    logger.log(`Using Dintero at ${real.baseUrl ?? 'https://checkout.dintero.com/v1'} (account ${real.accountId})`);
  } else {
    fake = await new FakeDinteroServer().start();
    dintero = { ...FAKE_DINTERO_CLIENT, baseUrl: fake.baseUrl, allowInsecureLoopback: true };
    logger.warn(`No DINTERO_* credentials set: using the built-in fake Dintero at ${fake.baseUrl}`);
  }

  const app = await NestFactory.create(AppModule.register(dintero));
  app.enableShutdownHooks();
  if (fake) {
    const server = fake;
    process.once('beforeExit', () => void server.stop());
  }
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  logger.log(`Sample app listening: http://localhost:${port}/auth/status`);
}

void main();
