import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthConfigError, DinteroAuthModule } from '../../lib/index.js';
import { Test } from '@nestjs/testing';
import { CaptureLogger } from '../support/capture-logger.js';
import { nextEvent } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

const SECRET = FAKE_DINTERO_CLIENT.clientSecret;
let fake: FakeDinteroServer;
let app: TokenApp | undefined;

beforeAll(async () => {
  fake = await startFake(100);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
});
afterAll(() => fake.stop());

/** Every way a value commonly ends up in a log. */
function renderings(value: unknown): string[] {
  const asError = value as { message?: unknown };
  return [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: 20, showHidden: true }),
    inspect(value, { depth: 20, getters: true }),
    typeof asError?.message === 'string' ? asError.message : '',
  ];
}

function expectNoneContain(texts: string[], secrets: string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('secrets and tokens stay out of output', () => {
  it('a DinteroAccessToken redacts itself in String, JSON and inspect, and when spread', async () => {
    app = await startTokenApp(fakeOptions(fake));
    const token = await app.tokens.getToken();
    expectNoneContain(
      [...renderings(token), JSON.stringify({ ...token }), inspect({ wrapper: [token] }, { depth: 20 })],
      [token.accessToken],
    );
    expect(String(token)).toContain(token.fingerprint);
    expect(fake.issuedTokens).toContain(token.accessToken);
  });

  it('no log line, event or error through failures, refreshes and recovery holds the secret or a token', async () => {
    const clock = new ManualClock();
    app = await startTokenApp(fakeOptions(fake, { retry: { initialDelayMs: 100, maxDelayMs: 100 } }), clock);
    const events: unknown[] = [];
    app.tokens.events$.subscribe((event) => events.push(event));
    const issued: string[] = [];

    issued.push((await app.tokens.getToken()).accessToken);
    // A server that echoes the secret back in its error message must not get it into our output.
    fake.injectTokenFault({ type: 'status', status: 503, message: `upstream said ${SECRET}` }, 1);
    fake.injectTokenFault({ type: 'body', body: '<html>oops</html>' }, 1);
    const recovered = app.tokens.refresh();
    for (let failure = 0; failure < 2; failure += 1) {
      const failed = nextEvent(app.tokens.events$, 'refresh-failed');
      if (failure > 0) clock.advance(100);
      await failed;
    }
    clock.advance(100);
    issued.push((await recovered).accessToken);
    fake.injectTokenFault({ type: 'status', status: 401, message: `bad ${SECRET}` }, 1);
    const denied = await app.tokens.refresh().catch((error: unknown) => error);
    expect(denied).toMatchObject({ status: 401, dinteroMessage: 'bad <redacted>' });

    const texts = [...app.logger.lines, ...events.flatMap(renderings), ...renderings(denied)];
    expect(app.logger.at('warn').length).toBeGreaterThanOrEqual(3);
    expect(app.logger.at('debug').length).toBeGreaterThanOrEqual(2);
    expectNoneContain(texts, [SECRET, ...issued]);
  });

  it('start-up config errors never echo the secret', async () => {
    const secret = 'sup3r-s3cret-value ';
    const failure = await Test.createTestingModule({
      imports: [DinteroAuthModule.forRoot({ accountId: 'nope', clientId: 'id', clientSecret: secret })],
    })
      .setLogger(new CaptureLogger())
      .compile()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DinteroAuthConfigError);
    expectNoneContain(renderings(failure), [secret.trim()]);
  });

  it('the normalized config can be logged whole', async () => {
    app = await startTokenApp(fakeOptions(fake));
    const config = app.moduleRef.get<unknown>((await import('../../lib/module/injection-tokens.js')).DINTERO_AUTH_CONFIG);
    expectNoneContain(renderings(config), [SECRET]);
  });
});
