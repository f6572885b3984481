import { DinteroCredentialsError } from '../errors/dintero-credentials.error.js';
import type { ClientCredentials } from '../options/client-credentials.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import { readProvidedCredentials } from '../options/normalize-options.js';
import type { Issues } from '../options/option-readers.js';
import { Alarm } from './alarm.js';
import type { Clock } from './clock.js';
import type { TokenEventBus } from './token-event-bus.js';

/** Least time between two reads of the provider after refusals: a storm of them reads it once a second. */
export const CREDENTIALS_READ_MIN_INTERVAL_MS = 1_000;

/** Why credentials are read. */
export type CredentialsReadReason = 'first' | 'invalid-client' | 'schedule';

/**
 * The client id and secret one client sends: given once, or read from the `credentials`
 * provider before the first token request, again when Dintero refuses them, and on the
 * optional schedule. One read at a time, each bounded by `requestTimeoutMs`; a failed read
 * keeps the last good credentials in use. Changes are events (`credentials-changed`).
 */
export class CredentialsKeeper {
  private held: ClientCredentials | undefined;
  private readAtWall: number | undefined;
  /** When a refusal last made us read: the first read and the scheduled ones do not count. */
  private lastRefusalReadAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<ClientCredentials> | undefined;
  private readonly schedule: Alarm;
  private stopped = false;
  /** Called after a change, so that a successor of the token in hand is fetched with the new credentials. */
  onChange: () => void = () => undefined;

  constructor(
    private readonly config: DinteroAuthConfig,
    private readonly clock: Clock,
    private readonly bus: TokenEventBus,
  ) {
    this.held = config.credentials.initial;
    if (this.held) this.readAtWall = clock.wallNow();
    this.schedule = new Alarm(clock, () => void this.read('schedule').catch(() => undefined));
  }

  /** The credentials in use, if read yet. */
  get current(): ClientCredentials | undefined {
    return this.held;
  }

  /** Whether the credentials come from a provider, and so may change. */
  get rotates(): boolean {
    return this.config.credentials.provider !== undefined;
  }

  /** When the credentials in use were last read (or given). */
  get readAt(): Date | undefined {
    return this.readAtWall === undefined ? undefined : new Date(this.readAtWall);
  }

  /** The credentials to send; the first call of a provider reads them, rejecting with a `DinteroCredentialsError`. */
  get(): Promise<ClientCredentials> {
    return this.held ? Promise.resolve(this.held) : this.read('first');
  }

  /**
   * Dintero refused `sent` (`invalid_client`): the credentials to try at once instead, if any.
   * Ones that changed since `sent` left; otherwise the provider is read again, unless it was
   * read less than {@link CREDENTIALS_READ_MIN_INTERVAL_MS} ago.
   */
  async afterRefusal(sent: ClientCredentials): Promise<ClientCredentials | undefined> {
    if (this.held && !this.held.sameAs(sent)) return this.held;
    if (!this.config.credentials.provider || this.stopped) return undefined;
    if (!this.reading) {
      if (this.clock.now() - this.lastRefusalReadAt < CREDENTIALS_READ_MIN_INTERVAL_MS) return undefined;
      this.lastRefusalReadAt = this.clock.now();
    }
    const fresh = await this.read('invalid-client').catch(() => undefined);
    return fresh && !fresh.sameAs(sent) ? fresh : undefined;
  }

  /** No more scheduled reads (Nest's `onModuleDestroy`); a refusal may still read. */
  stop(): void {
    this.stopped = true;
    this.schedule.clear();
  }

  /** One read at a time: callers meanwhile share it. */
  private read(reason: CredentialsReadReason): Promise<ClientCredentials> {
    this.reading ??= this.readOnce(reason).finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readOnce(reason: CredentialsReadReason): Promise<ClientCredentials> {
    try {
      return this.accept(await this.callProvider(), reason);
    } catch (error) {
      const failure = error as DinteroCredentialsError;
      this.bus.emit({ type: 'credentials-failed', error: failure, usingPrevious: this.held !== undefined });
      throw failure;
    } finally {
      const interval = this.config.credentials.refreshIntervalMs;
      if (interval !== undefined && !this.stopped) this.schedule.set(this.clock.now() + interval);
    }
  }

  /** The provider's answer, validated, within the deadline; rejects only with a `DinteroCredentialsError`. */
  private callProvider(): Promise<ClientCredentials> {
    const provider = this.config.credentials.provider!;
    const deadlineMs = this.config.requestTimeoutMs;
    return new Promise<ClientCredentials>((resolve, reject) => {
      const timer = this.clock.setTimer(() => {
        const message = `The Dintero credentials provider did not answer within requestTimeoutMs (${deadlineMs} ms)`;
        reject(new DinteroCredentialsError(message, { failure: 'timeout' }));
      }, deadlineMs);
      const settle = (outcome: () => void) => {
        this.clock.clearTimer(timer);
        outcome();
      };
      Promise.resolve()
        .then(provider)
        .then(
          (given) =>
            settle(() => {
              const issues: Issues = [];
              const credentials = readProvidedCredentials(given, issues);
              if (credentials) return resolve(credentials);
              const problems = issues.map((issue) => `${issue.path} ${issue.problem}`).join('; ');
              reject(
                new DinteroCredentialsError(`The Dintero credentials provider gave invalid credentials: ${problems}`, {
                  failure: 'invalid',
                }),
              );
            }),
          (cause: unknown) =>
            settle(() => {
              // What it threw may quote the secret it was reading (`JSON.parse` of a secret file
              // says what it could not parse), which no redaction can know: only its kind is kept.
              const message = `The Dintero credentials provider failed: ${kindOf(cause)}`;
              reject(new DinteroCredentialsError(message, { failure: 'failed' }));
            }),
        );
    });
  }

  /** Takes what was read; the held object stays when nothing changed, so what is built on it stays too. */
  private accept(fresh: ClientCredentials, reason: CredentialsReadReason): ClientCredentials {
    this.readAtWall = this.clock.wallNow();
    const previous = this.held;
    if (previous?.sameAs(fresh)) return previous;
    this.held = fresh;
    if (previous && reason !== 'first') {
      this.bus.emit({
        type: 'credentials-changed',
        clientIdFingerprint: fresh.clientIdFingerprint,
        previousClientIdFingerprint: previous.clientIdFingerprint,
        reason,
        readAt: new Date(this.readAtWall),
      });
      this.onChange();
    }
    return fresh;
  }
}

/** An error's class and system code (`Error (ENOENT)`), never its message. */
function kindOf(thrown: unknown): string {
  if (!(thrown instanceof Error)) return `a thrown ${typeof thrown}`;
  const code = (thrown as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? `${thrown.name} (${code})` : thrown.name;
}
