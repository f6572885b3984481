/**
 * An account closed (forgotten, or evicted for room) in the same tick as calls issued on it:
 * every call issued before the close reaches Dintero and is answered, and the account closes
 * after them; a call on an account already closed gets the typed token error, never a socket
 * error (a capture that fails with ECONNRESET reads as "maybe charged").
 */
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type DinteroAccount, type DinteroAccountEvent, DinteroTokenUnavailableError } from '../../lib/index.js';
import { eventually } from '../support/token-app.js';
import { type AccountsApp, CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake } from './accounts-app.js';

const [A, B] = [merchant(0), merchant(1)];
const CALLS = 10;
let fake: FakeDinteroServer;
let app: AccountsApp | undefined;

beforeAll(async () => {
  fake = await startPlatformFake(2);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function start(maxAccounts?: number) {
  app = await startAccountsApp(platformOptions(fake, new CredentialsTable([A, B]), maxAccounts ? { maxAccounts } : {}));
  const closed: DinteroAccountEvent[] = [];
  app.accounts.events$.subscribe((event) => event.type === 'account-closed' && closed.push(event));
  const account = await app.accounts.get(A.accountId);
  // A token held: the calls below need no token request, they go straight out.
  await account.tokens.getToken();
  return { accounts: app.accounts, account, closed };
}

/** Half through `axiosRef`, half as Observables (issued when subscribed), each to a path of its own. */
function issueCalls(account: DinteroAccount): { paths: string[]; settled: Promise<PromiseSettledResult<number>[]> } {
  const paths = Array.from({ length: CALLS }, () => `/sessions/${randomUUID()}`);
  const calls = paths.map((path, n) =>
    n % 2 === 0
      ? account.http.axiosRef.get(path, { validateStatus: () => true })
      : firstValueFrom(account.http.get(path, { validateStatus: () => true })),
  );
  return { paths, settled: Promise.allSettled(calls.map((call) => call.then((response) => response.status))) };
}

function reached(paths: readonly string[]): number {
  return paths.filter((path) => fake.apiRequests.some((request) => request.path === `/v1${path}`)).length;
}

function failures(results: PromiseSettledResult<number>[]): string[] {
  return results.flatMap((result) => {
    if (result.status === 'fulfilled') return result.value === 404 ? [] : [`status ${result.value}`];
    const error = result.reason as { name?: string; code?: string };
    return [`${error.name ?? 'error'} ${error.code ?? ''}`];
  });
}

describe('an account closed under calls just issued', () => {
  it('forget() in the same tick: all calls reach Dintero, then the account closes', async () => {
    const { accounts, account, closed } = await start();
    const { paths, settled } = issueCalls(account);
    const forgotten = accounts.forget(A.accountId);
    const results = await settled;
    expect(failures(results)).toEqual([]);
    expect(reached(paths)).toBe(CALLS);
    expect(await forgotten).toBe(true);
    expect(closed).toEqual([{ type: 'account-closed', accountId: A.accountId, reason: 'forgotten' }]);
  });

  it('evicted for room (get(B) with maxAccounts 1) in the same tick: all calls reach Dintero, and one account goes once they end', async () => {
    const { accounts, account, closed } = await start(1);
    const { paths, settled } = issueCalls(account);
    const other = accounts.get(B.accountId);
    const results = await settled;
    expect(failures(results)).toEqual([]);
    expect(reached(paths)).toBe(CALLS);
    await other;
    await eventually(() => closed.length === 1, 5_000, 'one account closed for room');
    // B was used while A's calls were in flight: B is the least recently used when they end.
    expect(closed[0]).toMatchObject({ accountId: B.accountId, reason: 'capacity' });
    expect(accounts.size).toBe(1);
  });

  it('a call on an account already closed gets the typed token error and reaches nobody', async () => {
    const { accounts, account } = await start();
    await accounts.forget(A.accountId);
    const { paths, settled } = issueCalls(account);
    const results = await settled;
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DinteroTokenUnavailableError);
    }
    expect(reached(paths)).toBe(0);
  });
});
