import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { expectNoSecret } from '../support/secret-forms.js';
import { fakeOptions, startFake, startTokenApp } from '../support/token-app.js';

const exporter = new InMemorySpanExporter();
let fake: FakeDinteroServer;

beforeAll(async () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  fake = await startFake();
});
afterAll(async () => {
  trace.disable();
  await fake.stop();
});

describe('OpenTelemetry', () => {
  it('puts each token request in a dintero.auth.token span, with the outcome and no secret or token', async () => {
    const app = await startTokenApp(fakeOptions(fake));
    const token = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 401, code: 'invalid_client' }, 1);
    await app.tokens.refresh().catch(() => undefined);
    fake.injectTokenFault({ type: 'reset' }, 1);
    await app.tokens.refresh().catch(() => undefined);
    await app.close();

    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'dintero.auth.token');
    const failed = (type: string) => spans.find((span) => span.attributes['error.type'] === type);
    const request = {
      'http.request.method': 'POST',
      'url.full': `${fake.baseUrl}/accounts/${FAKE_DINTERO_CLIENT.accountId}/auth/token`,
      'dintero.account.id': FAKE_DINTERO_CLIENT.accountId,
    };
    expect(spans[0]!.attributes).toEqual({ ...request, 'dintero.token.expires_in': fake.tokenLifetimeSeconds });
    expect(failed('DINTERO_TOKEN_REQUEST')!.attributes).toEqual({
      ...request,
      'error.type': 'DINTERO_TOKEN_REQUEST',
      'http.response.status_code': 401,
    });
    expect(failed('DINTERO_TOKEN_REQUEST')!.status).toEqual({ code: 2, message: expect.stringContaining('401') });
    // A failure without an answer has no status code to record.
    expect(failed('DINTERO_TOKEN_NETWORK')!.attributes).toEqual({ ...request, 'error.type': 'DINTERO_TOKEN_NETWORK' });
    const recorded = JSON.stringify(spans.map((span) => ({ attributes: span.attributes, status: span.status, events: span.events })));
    expect(recorded).not.toContain(token.accessToken);
    expect(recorded).not.toContain(FAKE_DINTERO_CLIENT.clientSecret);
  });

  it('spans of a rotation (a refusal, then the new secret) hold neither the old secret nor the new one', async () => {
    exporter.reset();
    const { clientId, clientSecret: old } = FAKE_DINTERO_CLIENT;
    const rotated = 'rotated-secret-for-spans';
    let given = { clientId, clientSecret: old };
    const app = await startTokenApp({ ...fakeOptions(fake), clientId: undefined, clientSecret: undefined, credentials: () => given });
    await app.tokens.getToken();
    fake.addClientSecret(clientId, rotated);
    fake.revokeClientSecret(clientId, old);
    given = { clientId, clientSecret: rotated };
    await app.tokens.refresh();
    await app.close();
    fake.addClientSecret(clientId, old);

    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'dintero.auth.token');
    expect(spans.map((span) => span.attributes['http.response.status_code'] ?? 200)).toEqual([200, 401, 200]);
    const recorded = JSON.stringify(spans.map((span) => ({ attributes: span.attributes, status: span.status, events: span.events })));
    expectNoSecret([recorded], [old, rotated], clientId);
  });
});
