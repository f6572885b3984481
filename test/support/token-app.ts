import { Test, type TestingModule } from '@nestjs/testing';
import { expect } from 'vitest';
import type { DinteroClient } from '../../lib/client/dintero-client.js';
import type { DinteroClientHost } from '../../lib/module/dintero-client.host.js';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DINTERO_CLIENT, DINTERO_CLOCK, DINTERO_TOKEN_ENDPOINT } from '../../lib/module/injection-tokens.js';
import {
  DinteroAuthInterceptor,
  DinteroAuthModule,
  type DinteroAuthModuleOptions,
  DinteroHttpService,
  DinteroTokenService,
} from '../../lib/index.js';
import type { FakeTokenServer } from '../../lib/testing/index.js';
import type { Clock } from '../../lib/token/clock.js';
import type { TokenEndpoint } from '../../lib/token/token-endpoint.client.js';
import { CaptureLogger } from './capture-logger.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';

/** Module options pointing at a fake server, with the fake's default client. */
export function fakeOptions(fake: FakeTokenServer, overrides: Partial<DinteroAuthModuleOptions> = {}): DinteroAuthModuleOptions {
  return {
    accountId: FAKE_DINTERO_CLIENT.accountId,
    clientId: FAKE_DINTERO_CLIENT.clientId,
    clientSecret: FAKE_DINTERO_CLIENT.clientSecret,
    baseUrl: fake.baseUrl,
    allowInsecureLoopback: true,
    ...overrides,
  };
}

export interface TokenApp {
  readonly moduleRef: TestingModule;
  readonly tokens: DinteroTokenService;
  readonly http: DinteroHttpService;
  readonly interceptor: DinteroAuthInterceptor;
  /** The registration's client: its shutdown phases, one at a time. */
  readonly client: DinteroClient;
  readonly logger: CaptureLogger;
  readonly clock: ManualClock | undefined;
  close(): Promise<void>;
}

/** A {@link TokenApp} on the manual clock. */
export type ManualTokenApp = TokenApp & { readonly clock: ManualClock };

/**
 * A real Nest application holding `DinteroAuthModule.forRoot(options)`, initialised (lifecycle
 * hooks run) and logging into a {@link CaptureLogger}. With `clock` (usually a {@link ManualClock}),
 * token time and jitter are that clock's (`ManualClock.pinRandom` fixes the jitter, and leaves
 * `Math.random`, which Nest draws module ids from, alone); with `endpoint`, tokens come from it
 * instead of the fake (for endpoints that break the contract).
 */
export async function startTokenApp(options: DinteroAuthModuleOptions, clock?: Clock, endpoint?: TokenEndpoint): Promise<TokenApp> {
  const logger = new CaptureLogger();
  let builder = Test.createTestingModule({ imports: [DinteroAuthModule.forRoot(options)] }).setLogger(logger);
  if (clock) builder = builder.overrideProvider(DINTERO_CLOCK).useValue(clock);
  if (endpoint) builder = builder.overrideProvider(DINTERO_TOKEN_ENDPOINT).useValue(endpoint);
  const moduleRef = await builder.compile();
  moduleRef.useLogger(logger);
  await moduleRef.init();
  return {
    moduleRef,
    tokens: moduleRef.get(DinteroTokenService),
    http: moduleRef.get(DinteroHttpService),
    interceptor: moduleRef.get(DinteroAuthInterceptor),
    client: moduleRef.get<DinteroClientHost>(DINTERO_CLIENT).client,
    logger,
    clock: clock instanceof ManualClock ? clock : undefined,
    close: () => moduleRef.close(),
  };
}

/** Resolves once `condition` holds, polling on real time; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Starts a fake server for one test file. */
export async function startFake(tokenLifetimeSeconds = 3600): Promise<FakeDinteroServer> {
  return new FakeDinteroServer({ tokenLifetimeSeconds }).start();
}

/**
 * No token request is in flight, and the endpoint saw `requests`. On the manual clock every
 * attempt starts synchronously, inside the `advance()` or call that allows it: right after one,
 * an attempt that should not have started shows here, with no waiting.
 */
export function expectIdle(app: TokenApp, fake: FakeDinteroServer, requests: number): void {
  expect(app.tokens.status().refreshing, 'a token request in flight').toBe(false);
  expect(fake.tokenRequestCount).toBe(requests);
}
