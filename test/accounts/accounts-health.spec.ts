import { Controller, Get, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAccountsHealthIndicator } from '../../lib/health/index.js';
import { DinteroAccounts, DinteroAccountsModule } from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { CredentialsTable, merchant, platformOptions, startPlatformFake } from './accounts-app.js';

const [A, B] = [merchant(0), merchant(1)];
let fake: FakeDinteroServer;

beforeAll(async () => {
  fake = await startPlatformFake(2);
});
afterAll(() => fake.stop());

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly accounts: DinteroAccountsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.accounts.isHealthy()]);
  }
}

describe('DinteroAccountsHealthIndicator', () => {
  it('is up while no held account fails, down naming the failing accounts by id, and never starts a token request', async () => {
    const table = new CredentialsTable([A, B]);
    table.credentials.set(B.accountId, { clientId: B.clientId, clientSecret: 'wrong-secret-for-b' });
    @Module({
      imports: [TerminusModule.forRoot({ logger: false }), DinteroAccountsModule.forRoot(platformOptions(fake, table))],
      controllers: [HealthController],
      providers: [DinteroAccountsHealthIndicator],
    })
    class HealthAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [HealthAppModule] })
      .setLogger(new CaptureLogger())
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const accounts = app.get(DinteroAccounts);
    const [a, b] = await Promise.all([accounts.get(A.accountId), accounts.get(B.accountId)]);

    const fresh = await request(app.getHttpServer()).get('/health').expect(200);
    expect(fresh.body.info['dintero-accounts']).toEqual({ status: 'up', accounts: 2 });
    expect(fake.tokenRequestCount).toBe(0);

    const token = (await a.tokens.getToken()).accessToken;
    await b.tokens.getToken().catch(() => undefined);
    const down = await request(app.getHttpServer()).get('/health').expect(503);
    expect(down.body.error['dintero-accounts']).toEqual({
      status: 'down',
      accounts: 2,
      unhealthyCount: 1,
      unhealthy: [{ accountId: B.accountId, error: 'DINTERO_TOKEN_REQUEST', consecutiveFailures: 1 }],
    });
    for (const secret of [token, 'wrong-secret-for-b', A.clientSecret]) expect(JSON.stringify(down.body)).not.toContain(secret);
    expect(fake.tokenRequestCount).toBe(2);
    await app.close();
  });
});
