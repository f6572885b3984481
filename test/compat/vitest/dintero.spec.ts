// The Vitest test of a NestJS 12 ES module app: run.sh copies it into the app's src/ and runs
// `vitest run` against the packed package.
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DinteroAuthModule, DinteroHttpService, DinteroTokenService } from 'nestjs-dintero-auth';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/fake-dintero';
import { DinteroAuthTestingModule } from 'nestjs-dintero-auth/testing';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

@Injectable()
class Sessions {
  constructor(private readonly dintero: DinteroHttpService) {}

  async create(amount: number): Promise<{ id: string }> {
    const order = { amount, currency: 'NOK', merchant_reference: 'vitest' };
    const body = { profile_id: 'default', url: { return_url: 'https://shop.example/return' }, order };
    return (await firstValueFrom(this.dintero.post<{ id: string }>('/sessions-profile', body))).data;
  }
}

@Module({ providers: [Sessions] })
class SessionsModule {}

describe('nestjs-dintero-auth under Vitest (ES modules)', () => {
  let fake: FakeDinteroServer;

  beforeAll(async () => {
    fake = await new FakeDinteroServer().start();
  });

  afterAll(async () => {
    await fake.stop();
  });

  it('loads the ES module build', () => {
    expect(import.meta.resolve('nestjs-dintero-auth')).toMatch(/\/dist\/index\.js$/);
  });

  it('calls Dintero with a token it fetched', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DinteroAuthModule.forRoot({ ...FAKE_DINTERO_CLIENT, baseUrl: fake.baseUrl, allowInsecureLoopback: true }), SessionsModule],
    }).compile();
    await moduleRef.init();
    try {
      const session = await moduleRef.get(Sessions).create(1_000);
      const { accessToken } = await moduleRef.get(DinteroTokenService).getToken();
      expect(session.id.startsWith(`${FAKE_DINTERO_CLIENT.accountId}.`)).toBe(true);
      expect(fake.apiRequests.map((request) => request.headers.authorization)).toEqual([`Bearer ${accessToken}`]);
    } finally {
      await moduleRef.close();
    }
  });

  it('gives a test its own token through DinteroAuthTestingModule', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DinteroAuthTestingModule.withToken('test-token'), SessionsModule],
    }).compile();
    await moduleRef.init();
    try {
      expect(await moduleRef.get(DinteroTokenService).getAccessToken()).toBe('test-token');
    } finally {
      await moduleRef.close();
    }
  });
});
