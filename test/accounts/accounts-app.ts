import { Test, type TestingModule } from '@nestjs/testing';
import { FakeDinteroServer, type FakeDinteroClient } from '../../lib/fake-dintero/index.js';
import {
  type DinteroAccountCredentials,
  DinteroAccounts,
  DinteroAccountsModule,
  type DinteroAccountsModuleOptions,
} from '../../lib/index.js';
import { DINTERO_CLOCK } from '../../lib/testing/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import type { ManualClock } from '../../lib/testing/manual-clock.js';

/** The n-th merchant of the fake platform: its account and API client. */
export function merchant(n: number): FakeDinteroClient {
  const accountId = `T${String(10_000_000 + n)}`;
  return { accountId, clientId: `client-${accountId}`, clientSecret: `secret-${accountId}-do-not-use` };
}

/** A fake Dintero that knows `count` merchants. */
export function startPlatformFake(count: number, tokenLifetimeSeconds = 3600): Promise<FakeDinteroServer> {
  return new FakeDinteroServer({ clients: Array.from({ length: count }, (_, n) => merchant(n)), tokenLifetimeSeconds }).start();
}

/** A resolver over a table of credentials that counts its calls per account. */
export class CredentialsTable {
  readonly calls = new Map<string, number>();
  readonly credentials = new Map<string, DinteroAccountCredentials>();

  constructor(clients: readonly FakeDinteroClient[]) {
    for (const { accountId, clientId, clientSecret } of clients) this.credentials.set(accountId, { clientId, clientSecret });
  }

  /** The resolver; `answer` overrides the table for the next calls. */
  readonly resolve = (accountId: string): Promise<DinteroAccountCredentials | undefined> => {
    this.calls.set(accountId, (this.calls.get(accountId) ?? 0) + 1);
    if (this.answer) return this.answer(accountId);
    return Promise.resolve(this.credentials.get(accountId));
  };

  answer: ((accountId: string) => Promise<DinteroAccountCredentials | undefined>) | undefined;

  callsFor(accountId: string): number {
    return this.calls.get(accountId) ?? 0;
  }

  get totalCalls(): number {
    return [...this.calls.values()].reduce((sum, n) => sum + n, 0);
  }
}

export interface AccountsApp {
  readonly moduleRef: TestingModule;
  readonly accounts: DinteroAccounts;
  readonly logger: CaptureLogger;
  close(): Promise<void>;
}

/** A real Nest application holding `DinteroAccountsModule.forRoot(options)`, initialised. */
export async function startAccountsApp(options: DinteroAccountsModuleOptions, clock?: ManualClock): Promise<AccountsApp> {
  const logger = new CaptureLogger();
  let builder = Test.createTestingModule({ imports: [DinteroAccountsModule.forRoot(options)] }).setLogger(logger);
  if (clock) builder = builder.overrideProvider(DINTERO_CLOCK).useValue(clock);
  const moduleRef = await builder.compile();
  moduleRef.useLogger(logger);
  await moduleRef.init();
  return { moduleRef, accounts: moduleRef.get(DinteroAccounts), logger, close: () => moduleRef.close() };
}

/** Options for accounts on `fake`, resolved from `table`. */
export function platformOptions(
  fake: FakeDinteroServer,
  table: CredentialsTable,
  overrides: Partial<DinteroAccountsModuleOptions> = {},
): DinteroAccountsModuleOptions {
  return { resolveCredentials: table.resolve, baseUrl: fake.baseUrl, allowInsecureLoopback: true, ...overrides };
}
