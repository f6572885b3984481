import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake } from './accounts-app.js';

const exporter = new InMemorySpanExporter();
const [A, B] = [merchant(0), merchant(1)];
let fake: FakeDinteroServer;

beforeAll(async () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  fake = await startPlatformFake(2);
});
afterAll(async () => {
  trace.disable();
  await fake.stop();
});

describe('OpenTelemetry with many accounts', () => {
  it("names the account in each token request's span, with no secret or token", async () => {
    const app = await startAccountsApp(platformOptions(fake, new CredentialsTable([A, B])));
    const tokens = await Promise.all([A, B].map(async ({ accountId }) => (await app.accounts.get(accountId)).tokens.getToken()));
    await app.close();

    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'dintero.auth.token');
    const urls = spans.map((span) => String(span.attributes['url.full'])).sort();
    expect(urls).toEqual([A, B].map(({ accountId }) => `${fake.baseUrl}/accounts/${accountId}/auth/token`).sort());
    expect(spans.map((span) => span.attributes['dintero.account.id']).sort()).toEqual([A.accountId, B.accountId].sort());
    const recorded = JSON.stringify(spans.map((span) => ({ attributes: span.attributes, status: span.status, events: span.events })));
    for (const secret of [...tokens.map((token) => token.accessToken), A.clientSecret, B.clientSecret])
      expect(recorded).not.toContain(secret);
  });
});
