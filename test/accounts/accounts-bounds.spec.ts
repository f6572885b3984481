/**
 * Accounts being opened are bounded too: ids often come from URLs, and each unknown one used to
 * hold an entry and a resolver call until the resolver answered. At most `maxAccounts` are being
 * opened at once (beyond that, a typed refusal at once), and the resolver runs at most
 * `maxConcurrentResolves` at a time (the others wait their turn, within `resolveTimeoutMs`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type DinteroAccountCredentials, DinteroAccountNotFoundError, DinteroAccountResolveError } from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually } from '../support/token-app.js';
import { type AccountsApp, merchant, startAccountsApp, startPlatformFake } from './accounts-app.js';

let fake: FakeDinteroServer;
let app: AccountsApp | undefined;

beforeAll(async () => {
  fake = await startPlatformFake(1);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});
afterAll(() => fake.stop());

/** A slow resolver (a database under load): answers only when released, and counts how many of its calls run at once. */
class SlowResolver {
  running = 0;
  mostAtOnce = 0;
  calls = 0;
  private readonly pending: (() => void)[] = [];

  readonly resolve = (accountId: string): Promise<DinteroAccountCredentials | undefined> => {
    this.calls += 1;
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    return new Promise((settle) =>
      this.pending.push(() => {
        this.running -= 1;
        const known = merchant(0);
        settle(accountId === known.accountId ? { clientId: known.clientId, clientSecret: known.clientSecret } : undefined);
      }),
    );
  };

  /** Answers every call waiting now. */
  releaseAll(): void {
    for (const answer of this.pending.splice(0)) answer();
  }
}

const unknownIds = (count: number) => Array.from({ length: count }, (_, n) => `T${String(20_000_000 + n)}`);

describe('accounts being opened', () => {
  it('2000 concurrent gets of unknown ids: at most maxAccounts held, the resolver at most 8 at once (the default), the rest refused at once', async () => {
    const resolver = new SlowResolver();
    const clock = new ManualClock();
    app = await startAccountsApp(
      { resolveCredentials: resolver.resolve, baseUrl: fake.baseUrl, allowInsecureLoopback: true, maxAccounts: 100 },
      clock,
    );
    const outcomes = unknownIds(2000).map((id) => app!.accounts.get(id).catch((error: unknown) => error));
    await eventually(() => resolver.running >= 8, 5_000, 'the resolver calls');
    await new Promise((resolve) => setImmediate(resolve));
    expect({ held: app.accounts.size, resolverCallsAtOnce: resolver.mostAtOnce }).toEqual({ held: 100, resolverCallsAtOnce: 8 });

    // Answered in turns of 8 until every held one had its turn.
    for (let turn = 0; turn < 100 / 8 + 1; turn += 1) {
      resolver.releaseAll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const errors = await Promise.all(outcomes);
    const refused = errors.filter((error) => error instanceof DinteroAccountResolveError);
    const unknown = errors.filter((error) => error instanceof DinteroAccountNotFoundError);
    expect(unknown).toHaveLength(100);
    expect(refused).toHaveLength(1900);
    expect(refused[0]).toMatchObject({ failure: 'busy', retryable: true, accountId: 'T20000100' });
    expect((refused[0] as Error).message).toBe(
      'Could not resolve the Dintero credentials of account T20000100: 100 accounts are being opened already (maxAccounts)',
    );
    expect(resolver.calls).toBe(100);
    expect(resolver.mostAtOnce).toBe(8);
    expect(app.accounts.size).toBe(0);
  });

  it('a get waiting its turn for the resolver counts that wait against resolveTimeoutMs; an account held is served at once', async () => {
    const resolver = new SlowResolver();
    const clock = new ManualClock();
    app = await startAccountsApp(
      {
        resolveCredentials: resolver.resolve,
        baseUrl: fake.baseUrl,
        allowInsecureLoopback: true,
        maxConcurrentResolves: 1,
        resolveTimeoutMs: 1_000,
      },
      clock,
    );
    const known = app.accounts.get(merchant(0).accountId);
    await eventually(() => resolver.running === 1, 5_000, 'the first resolver call');
    resolver.releaseAll();
    const account = await known;

    const first = app.accounts.get('T20000001').catch((error: unknown) => error);
    const queued = app.accounts.get('T20000002').catch((error: unknown) => error);
    await eventually(() => resolver.running === 1, 5_000, 'the second resolver call');
    expect(await app.accounts.get(merchant(0).accountId)).toBe(account);
    clock.advance(1_000);
    for (const error of await Promise.all([first, queued])) expect(error).toMatchObject({ failure: 'timeout' });
    // The one that waited its turn never reached the resolver.
    expect(resolver.calls).toBe(2);
    resolver.releaseAll();
  });
});
