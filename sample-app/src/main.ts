import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, setUpApp } from './app.setup.js';
import { listenFailure } from './http/listen-failure.js';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  // Logs wait until the port is ours (Nest says "successfully started" before it listens), and a
  // failure on the way is thrown to the catch below, which prints them (abortOnError would exit unheard).
  const app = setUpApp(
    await NestFactory.create<NestExpressApplication>(AppModule, {
      ...APP_OPTIONS,
      bufferLogs: true,
      autoFlushLogs: false,
      abortOnError: false,
    }),
  );
  try {
    await app.listen(port);
  } catch (error) {
    const failure = listenFailure(error, port);
    if (!failure) throw error;
    // Not through Logger: its buffer holds the start-up lines, "successfully started" among them.
    new ConsoleLogger('SampleApp').error(failure);
    process.exit(1);
  }
  app.flushLogs();
  new Logger('SampleApp').log(`Sample payment backend ready: open http://localhost:${port}/`);
}

main().catch((error: unknown) => {
  // A failure before listening (bad configuration): what was logged on the way helps.
  Logger.flush();
  new ConsoleLogger('SampleApp').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
