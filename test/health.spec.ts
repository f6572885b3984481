import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DinteroAuthHealthIndicator } from '../lib/health/index.js';
import { DinteroAuthModule, DinteroTokenService } from '../lib/index.js';
import type { FakeDinteroServer } from '../lib/testing/index.js';
import { CaptureLogger } from './support/capture-logger.js';
import { eventually, fakeOptions, startFake } from './support/token-app.js';

let fake: FakeDinteroServer;

beforeAll(async () => {
  fake = await startFake();
});
afterEach(() => {
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dintero: DinteroAuthHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.dintero.isHealthy()]);
  }
}

async function startHealthApp() {
  @Module({
    imports: [TerminusModule.forRoot({ logger: false }), DinteroAuthModule.forRoot({ ...fakeOptions(fake), retry: { initialDelayMs: 5_000, maxDelayMs: 5_000 } })],
    controllers: [HealthController],
    providers: [DinteroAuthHealthIndicator],
  })
  class HealthAppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [HealthAppModule] }).setLogger(new CaptureLogger()).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('DinteroAuthHealthIndicator', () => {
  it('is down before the first token, starts one fetch, then is up with the time to expiry', async () => {
    const app = await startHealthApp();
    const down = await request(app.getHttpServer()).get('/health').expect(503);
    expect(down.body.error.dintero).toMatchObject({ status: 'down', error: 'NO_TOKEN_YET' });
    await eventually(() => app.get(DinteroTokenService).status().token !== undefined, 5_000, 'the background fetch');
    const up = await request(app.getHttpServer()).get('/health').expect(200);
    expect(up.body.info.dintero).toMatchObject({ status: 'up', expiresInSeconds: expect.any(Number) });
    expect(up.body.info.dintero.expiresInSeconds).toBeGreaterThan(3_500);
    expect(JSON.stringify(up.body)).not.toContain((await app.get(DinteroTokenService).getToken()).accessToken);
    expect(fake.tokenRequestCount).toBe(1);
    await app.close();
  });

  it('while the token endpoint fails, 50 probes cause one token request and report the error code', async () => {
    fake.injectTokenFault({ type: 'status', status: 503 });
    const app = await startHealthApp();
    for (let probe = 0; probe < 50; probe += 1) await request(app.getHttpServer()).get('/health').expect(503);
    const last = await request(app.getHttpServer()).get('/health').expect(503);
    expect(last.body.error.dintero).toMatchObject({ status: 'down', error: 'DINTERO_TOKEN_REQUEST', consecutiveFailures: 1 });
    expect(fake.tokenRequestCount).toBe(1);
    await app.close();
  });
});
