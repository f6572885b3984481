import { DinteroAgents } from '../http/dintero-agents.js';
import { DinteroAuthInterceptor } from '../http/dintero-auth.interceptor.js';
import { createDinteroAxios } from '../http/dintero-axios.factory.js';
import { DinteroHttpService } from '../http/dintero-http.service.js';
import { DinteroInboundVerifier } from '../inbound/dintero-inbound.verifier.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { DinteroTokenStore } from '../store/dintero-token.store.js';
import { MemoryTokenStore } from '../store/memory-token.store.js';
import { SharedTokenSource } from '../store/shared-token.source.js';
import type { Clock } from '../token/clock.js';
import { credentialedEndpoint } from '../token/credentialed-endpoint.js';
import { CredentialsKeeper } from '../token/credentials-keeper.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';
import { type TokenEndpoint, TokenEndpointClient } from '../token/token-endpoint.client.js';
import { TokenEventBus } from '../token/token-event-bus.js';
import { TokenLog } from '../token/token-log.js';
import { directSource, type TokenSource } from '../token/token-source.js';

/** What a client is built from. What it is given, it borrows: the giver closes it. */
export interface DinteroClientParts {
  /** Validated options (`normalizeOptions`). */
  readonly config: DinteroAuthConfig;
  readonly clock: Clock;
  /** A store shared by replicas: one token request per cluster. */
  readonly store?: DinteroTokenStore | undefined;
  /** Where tokens are granted; Dintero's token endpoint unless a test kit stands in. */
  readonly endpoint?: TokenEndpoint | undefined;
  /** Connection pools for calls that carry the token, shared by many clients; without them the client has its own. */
  readonly agents?: DinteroAgents | undefined;
}

/**
 * Nest's two shutdown phases: `drain` (`onModuleDestroy`) stops background work while calls in
 * flight still get their tokens; `shutdown` (`onApplicationShutdown`) ends everything.
 */
export type DinteroClientPhase = 'drain' | 'shutdown';

/**
 * One Dintero client: the token service over its source (Dintero, or the shared store), the
 * attach point, and `DinteroHttpService` on the client's agents. `DinteroAuthModule` maps it
 * onto providers; `DinteroAccounts` makes one per account.
 */
export class DinteroClient {
  private drained = false;
  private closed: Promise<void> | undefined;

  constructor(
    readonly config: DinteroAuthConfig,
    readonly tokens: DinteroTokenService,
    readonly interceptor: DinteroAuthInterceptor,
    readonly http: DinteroHttpService,
    /** Checks callbacks and webhook deliveries of this account. */
    readonly inbound: DinteroInboundVerifier,
    private readonly source: TokenSource,
    private readonly ownAgents: DinteroAgents | undefined,
    private readonly credentials: CredentialsKeeper,
  ) {}

  /** Fetches the first token now if `prefetch` asks for it; start-up fails with its error. */
  async start(): Promise<void> {
    if (this.config.prefetch) await this.tokens.getToken();
  }

  /** Runs one shutdown phase; each runs once, and `shutdown` includes `drain`. */
  async close(phase: DinteroClientPhase): Promise<void> {
    if (!this.drained) {
      this.drained = true;
      this.credentials.stop();
      this.tokens.drain();
    }
    if (phase === 'shutdown') this.closed ??= this.shutdown();
    await this.closed;
  }

  /** Drops this client's token from the shared store too, so that no replica takes it again. */
  forgetSharedToken(): Promise<void> {
    return this.source.forget();
  }

  private async shutdown(): Promise<void> {
    this.tokens.shutdown();
    this.interceptor.detachAll();
    this.ownAgents?.close();
    await this.source.close();
  }
}

/** Builds a client from its parts; nothing is connected or requested until it is used. */
export function createDinteroClient(parts: DinteroClientParts): DinteroClient {
  const { config, clock, store } = parts;
  const endpoint = parts.endpoint ?? new TokenEndpointClient(config, clock);
  const bus = new TokenEventBus();
  // The first subscriber: every log line about this client's tokens is written from its events.
  new TokenLog(bus, config);
  const credentials = new CredentialsKeeper(config, clock, bus);
  const grants = credentialedEndpoint(endpoint, credentials);
  const source = store ? new SharedTokenSource(config, store, grants, bus, clock, credentials) : directSource(grants);
  const tokens = new DinteroTokenService(config, source, clock, bus, credentials);
  credentials.onChange = () => tokens.renew();
  const ownAgents = parts.agents ? undefined : new DinteroAgents(config.httpsAgent);
  const agents = parts.agents ?? ownAgents!;
  const interceptor = new DinteroAuthInterceptor(config, tokens, clock, agents);
  // An instance of our own: the app's HttpService and the global axios stay untouched.
  const instance = createDinteroAxios(config);
  interceptor.protect(instance, { deadlineMs: config.apiTimeoutMs });
  // Replays are refused across replicas when they share a store, within this process otherwise.
  const inbound = new DinteroInboundVerifier(config.accountId, config.signature, store ?? new MemoryTokenStore(clock), clock);
  return new DinteroClient(config, tokens, interceptor, new DinteroHttpService(instance), inbound, source, ownAgents, credentials);
}
