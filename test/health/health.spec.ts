import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { HealthModule } from '../compat/examples/health.module.js';
import { DinteroAuthHealthIndicator, InjectDinteroHealthIndicator } from '../../lib/health/index.js';
import { DinteroAuthModule, DinteroTokenService, getDinteroTokenServiceToken } from '../../lib/index.js';
import { DINTERO_CLOCK } from '../../lib/testing/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually, fakeOptions, startFake } from '../support/token-app.js';

let fake: FakeDinteroServer;

beforeAll(async () => {
  fake = await startFake();
});
afterEach(() => {
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

/** The README's health module, apart from the module that registers DinteroAuthModule. */
async function startHealthApp(clock?: ManualClock) {
  @Module({
    imports: [DinteroAuthModule.forRoot({ ...fakeOptions(fake), retry: { initialDelayMs: 5_000, maxDelayMs: 5_000 } }), HealthModule],
  })
  class HealthAppModule {}
  let builder = Test.createTestingModule({ imports: [HealthAppModule] }).setLogger(new CaptureLogger());
  if (clock) builder = builder.overrideProvider(DINTERO_CLOCK).useValue(clock);
  const moduleRef = await builder.compile();
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
    // A fresh token: its time to expiry is the lifetime the endpoint issued, less the seconds since.
    expect(up.body.info.dintero.expiresInSeconds).toBeLessThanOrEqual(fake.tokenLifetimeSeconds);
    expect(up.body.info.dintero.expiresInSeconds).toBeGreaterThan(fake.tokenLifetimeSeconds - 10);
    expect(JSON.stringify(up.body)).not.toContain((await app.get(DinteroTokenService).getToken()).accessToken);
    expect(fake.tokenRequestCount).toBe(1);
    await app.close();
  });

  it('reads the time to expiry on the token clock', async () => {
    const clock = new ManualClock();
    const app = await startHealthApp(clock);
    try {
      await app.get(DinteroTokenService).getToken();
      const probe = async () => {
        const { body } = await request(app.getHttpServer()).get('/health').expect(200);
        return body.info.dintero.expiresInSeconds as number;
      };
      expect(await probe()).toBe(fake.tokenLifetimeSeconds);
      clock.advance(600_000);
      expect(await probe()).toBe(fake.tokenLifetimeSeconds - 600);
    } finally {
      await app.close();
    }
  });

  it('while the token endpoint fails, 50 probes cause one token request per backoff period and report the error code', async () => {
    // Time stands still between probes, and the jitter is pinned to its smallest useful
    // value: however slow the machine, the backoff lasts exactly 1 ms of manual time.
    const clock = new ManualClock();
    fake.injectTokenFault({ type: 'status', status: 503 }, 2);
    const app = await startHealthApp(clock);
    try {
      clock.pinRandom(1 / 5_000);
      const probe = () => request(app.getHttpServer()).get('/health').expect(503);
      await probe();
      await eventually(() => app.get(DinteroTokenService).status().consecutiveFailures === 1, 5_000, 'the first failure');
      for (let count = 0; count < 50; count += 1) await probe();
      expect((await probe()).body.error.dintero).toMatchObject({ status: 'down', error: 'DINTERO_TOKEN_REQUEST', consecutiveFailures: 1 });
      expect(fake.tokenRequestCount).toBe(1);

      clock.advance(1);
      await eventually(() => app.get(DinteroTokenService).status().consecutiveFailures === 2, 5_000, 'the retry after the backoff');
      for (let count = 0; count < 50; count += 1) await probe();
      expect(fake.tokenRequestCount).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('forName(name) gives the indicator of a named registration', async () => {
    @Controller('health')
    class NamedHealthController {
      constructor(
        private readonly health: HealthCheckService,
        @InjectDinteroHealthIndicator('norway') private readonly norway: DinteroAuthHealthIndicator,
        @InjectDinteroHealthIndicator('sweden') private readonly sweden: DinteroAuthHealthIndicator,
      ) {}

      @Get()
      @HealthCheck()
      check() {
        return this.health.check([() => this.norway.isHealthy('norway'), () => this.sweden.isHealthy('sweden')]);
      }
    }
    @Module({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [NamedHealthController],
      providers: [DinteroAuthHealthIndicator.forName('norway'), DinteroAuthHealthIndicator.forName('sweden')],
    })
    class NamedHealthModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        DinteroAuthModule.forRoot({ ...fakeOptions(fake), name: 'norway' }),
        DinteroAuthModule.forRoot({ ...fakeOptions(fake), name: 'sweden', clientSecret: 'wrong-secret' }),
        NamedHealthModule,
      ],
    })
      .setLogger(new CaptureLogger())
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await app.get<DinteroTokenService>(getDinteroTokenServiceToken('norway')).getToken();
    await request(app.getHttpServer()).get('/health').expect(503);
    await eventually(
      () => app.get<DinteroTokenService>(getDinteroTokenServiceToken('sweden')).status().lastError !== undefined,
      5_000,
      'sweden to fail',
    );
    const health = await request(app.getHttpServer()).get('/health').expect(503);
    expect(health.body.info.norway).toMatchObject({ status: 'up' });
    expect(health.body.error.sweden).toMatchObject({ status: 'down', error: 'DINTERO_TOKEN_REQUEST' });
    await app.close();
  });
});
