import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DinteroAuthModule, DinteroTokenService } from 'nestjs-dintero-auth';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/testing';
import { PaymentsService } from './payments.service.js';

async function main(): Promise<void> {
  const fake = await new FakeDinteroServer().start();

  @Module({
    imports: [DinteroAuthModule.forRootAsync({ useFactory: () => ({ ...FAKE_DINTERO_CLIENT, baseUrl: fake.baseUrl, allowInsecureLoopback: true }) })],
    providers: [PaymentsService],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const token = await app.get(DinteroTokenService).getToken();
  const sessionId = await app.get(PaymentsService).createSession();
  const authorized = fake.apiRequests.every((request) => request.headers.authorization === `Bearer ${token.accessToken}`);
  await app.close();
  await fake.stop();
  if (fake.tokenRequestCount !== 1 || !authorized || !sessionId.startsWith('T12345678.')) {
    throw new Error(`unexpected: ${fake.tokenRequestCount} token requests, authorized=${authorized}, session ${sessionId}`);
  }
  console.log(`compat ok: NestJS 12 app, token ${token.fingerprint}, session ${sessionId}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
