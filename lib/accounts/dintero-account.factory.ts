import { createDinteroAxios } from '../http/dintero-axios.factory.js';
import { DinteroAuthInterceptor } from '../http/dintero-auth.interceptor.js';
import { DinteroHttpService } from '../http/dintero-http.service.js';
import type { DinteroAuthModuleOptions } from '../options/dintero-auth-options.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import { normalizeOptions } from '../options/normalize-options.js';
import type { DinteroTokenStore } from '../store/dintero-token.store.js';
import { SharedTokenSource, storeNamespace } from '../store/shared-token.source.js';
import type { Clock } from '../token/clock.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';
import { TokenEndpointClient } from '../token/token-endpoint.client.js';
import { TokenEventBus } from '../token/token-event-bus.js';
import type { TokenSource } from '../token/token-source.js';
import type { DinteroAccount } from './dintero-account.js';
import { InFlightCounter } from './in-flight-counter.js';

/** One account's parts, wired as `DinteroAuthModule` wires them, with the lifecycle Nest would drive. */
export interface AccountRuntime {
  readonly account: DinteroAccount;
  /** `DinteroHttpService` calls in flight. */
  readonly inFlight: InFlightCounter;
  /** Nest's first shutdown phase, on every part: background timers stop. */
  onModuleDestroy(): Promise<void>;
  /** Nest's last shutdown phase, on every part: waiters settle, streams complete, the store is let go. */
  onApplicationShutdown(): Promise<void>;
  /** Drops this account's token from the shared store, if there is one. */
  dropStoredToken(): Promise<void>;
}

/**
 * Builds one account from the same parts, in the same order, as `DinteroAuthModule`'s providers
 * (the one place to follow when those constructors change). `options` are validated by
 * `normalizeOptions`, as `forRoot` validates them; `onIdle` runs whenever the account's last
 * call in flight ends.
 */
export function createAccountRuntime(options: DinteroAuthModuleOptions, clock: Clock, onIdle: () => void): AccountRuntime {
  const config: DinteroAuthConfig = normalizeOptions(options);
  const endpoint = new TokenEndpointClient(config);
  const bus = new TokenEventBus();
  const source: TokenSource = options.store ? new SharedTokenSource(config, options.store, endpoint, bus) : endpoint;
  const tokens = new DinteroTokenService(config, source, clock, bus);
  const interceptor = new DinteroAuthInterceptor(config, tokens, clock);
  const instance = createDinteroAxios(config, interceptor.ownAgents);
  interceptor.protect(instance, { deadlineMs: config.apiTimeoutMs });
  const inFlight = new InFlightCounter(instance, onIdle);
  const http = new DinteroHttpService(instance);

  // Provider order of the module; Nest runs each phase's hooks of one module together.
  const parts: unknown[] = [...new Set<unknown>([endpoint, bus, source, tokens, interceptor, http])];
  const phase = (hook: 'onModuleDestroy' | 'onApplicationShutdown') => async () => {
    await Promise.all(parts.map((part) => callHook(part, hook)));
  };
  return {
    account: Object.freeze({ accountId: config.accountId, tokens, http }),
    inFlight,
    onModuleDestroy: phase('onModuleDestroy'),
    onApplicationShutdown: phase('onApplicationShutdown'),
    dropStoredToken: async () => {
      // The store has no delete: an empty value is never a token (it opens to nothing) and lapses at once.
      await options.store?.set(`${storeNamespace(config)}:token`, '', 1);
    },
  };
}

async function callHook(part: unknown, hook: string): Promise<void> {
  const method = (part as Record<string, unknown> | null)?.[hook];
  if (typeof method === 'function') await (method as () => unknown).call(part);
}

/**
 * The store as every account sees it: the same keys and values, without `close()`. Each shared
 * source closes its store when the last one using it shuts down; with accounts coming and
 * going that would be whenever none is held. The registry closes the real store at shutdown.
 */
export function unclosableStore(store: DinteroTokenStore): DinteroTokenStore {
  return {
    get: (key) => store.get(key),
    set: (key, value, ttlMs) => store.set(key, value, ttlMs),
    acquireLease: (key, ttlMs) => store.acquireLease(key, ttlMs),
    ...(store.watch && { watch: (key: string, listener: () => void) => store.watch!(key, listener) }),
    ...(store.raise && { raise: (key: string, value: number, ttlMs: number) => store.raise!(key, value, ttlMs) }),
  };
}
