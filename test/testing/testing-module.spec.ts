import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroHttpService, DinteroTokenService, InjectDinteroHttp } from '../../lib/index.js';
import { DinteroAuthTestingModule } from '../../lib/testing/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { RecordingServer } from '../support/recording-server.js';
import { startFake } from '../support/token-app.js';

let api: RecordingServer;
let fake: FakeDinteroServer;

beforeAll(async () => {
  api = await new RecordingServer().start();
  fake = await startFake();
});
afterAll(async () => {
  await api.stop();
  await fake.stop();
});

@Injectable()
class PaymentsService {
  constructor(readonly http: DinteroHttpService) {}
}
@Module({ providers: [PaymentsService] })
class PaymentsModule {}

describe('DinteroAuthTestingModule', () => {
  it('withToken(string) next to a feature module: the real client carries that token, and no token request leaves the process', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        DinteroAuthTestingModule.withToken('test-token', { baseUrl: `${api.origin}/v1`, allowInsecureLoopback: true }),
        PaymentsModule,
      ],
    })
      .setLogger(new CaptureLogger())
      .compile();
    await moduleRef.init();
    await firstValueFrom(moduleRef.get(PaymentsService).http.get('/transactions/T00000000.x'));
    expect(api.received.map((request) => request.headers.authorization)).toEqual(['Bearer test-token']);
    expect(fake.tokenRequestCount).toBe(0);
    await moduleRef.close();
  });

  it('withToken(function): each token request calls the script', async () => {
    let issued = 0;
    const moduleRef = await Test.createTestingModule({
      imports: [DinteroAuthTestingModule.withToken(() => `scripted-${++issued}`)],
    })
      .setLogger(new CaptureLogger())
      .compile();
    await moduleRef.init();
    const tokens = moduleRef.get(DinteroTokenService);
    expect(await tokens.getAccessToken()).toBe('scripted-1');
    expect((await tokens.refresh()).accessToken).toBe('scripted-2');
    await moduleRef.close();
  });

  it('withToken(source, { name }) stands in for a named registration', async () => {
    @Injectable()
    class NorwayPayments {
      constructor(@InjectDinteroHttp('norway') readonly http: DinteroHttpService) {}
    }
    @Module({ providers: [NorwayPayments] })
    class NorwayModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        DinteroAuthTestingModule.withToken('norway-token', { name: 'norway', baseUrl: `${api.origin}/v1`, allowInsecureLoopback: true }),
        NorwayModule,
      ],
    })
      .setLogger(new CaptureLogger())
      .compile();
    await moduleRef.init();
    api.received.length = 0;
    await firstValueFrom(moduleRef.get(NorwayPayments).http.get('/transactions/T00000000.y'));
    expect(api.received.map((request) => request.headers.authorization)).toEqual(['Bearer norway-token']);
    await moduleRef.close();
  });
});
