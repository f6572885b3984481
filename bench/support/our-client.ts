import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DinteroAuthModule, type DinteroAuthModuleOptions, DinteroHttpService, DinteroTokenService } from 'nestjs-dintero-auth';
import type { FakeDinteroClient } from 'nestjs-dintero-auth/testing';

export interface OurClient {
  readonly app: INestApplicationContext;
  readonly tokens: DinteroTokenService;
  readonly http: DinteroHttpService;
}

/** This module in a real Nest application context, pointed at the fake. */
export async function startOurClient(
  baseUrl: string,
  client: FakeDinteroClient,
  options: Partial<DinteroAuthModuleOptions> = {},
): Promise<OurClient> {
  const app = await NestFactory.createApplicationContext(
    DinteroAuthModule.forRoot({ ...client, baseUrl, allowInsecureLoopback: true, ...options }),
    { logger: false },
  );
  return { app, tokens: app.get(DinteroTokenService), http: app.get(DinteroHttpService) };
}
