import { createHash } from 'node:crypto';
import type { SignatureConfig } from '../options/dintero-auth.config.js';
import type { DinteroTokenStore } from '../store/dintero-token.store.js';
import type { Clock } from '../token/clock.js';
import type { CallbackUrl } from './callback-url.js';
import type { DinteroInboundRequest } from './inbound-request.js';
import { refused } from './inbound-request.js';
import { checkCallback, type DinteroVerifiedCallback } from './verify-dintero-callback.js';
import { type DinteroVerifiedWebhook, verifyDinteroWebhook } from './verify-dintero-webhook.js';

/** A webhook delivery, verified and claimed: `handle` it, or answer `done` without handling it again. */
export type WebhookClaim =
  | { readonly state: 'new'; readonly verified: DinteroVerifiedWebhook; readonly settle: (handled: boolean) => Promise<void> }
  | { readonly state: 'done' | 'busy'; readonly verified: DinteroVerifiedWebhook };

const PENDING = 'pending';
const DONE = 'done';

/**
 * One account's check of what Dintero sends it: the stateless verification, then the replay set
 * in the store (shared by replicas when the store is). A callback's signature is accepted once
 * within its tolerance; a webhook delivery id is handled once: claimed while its handler runs,
 * remembered when it succeeded, given back when it failed so that Dintero's retry runs it again.
 * @internal Made by `createDinteroClient`.
 */
export class DinteroInboundVerifier {
  constructor(
    readonly accountId: string,
    private readonly config: SignatureConfig,
    private readonly store: DinteroTokenStore,
    private readonly clock: Clock,
  ) {}

  /** Verifies a callback and refuses one seen before (`replayed`). */
  async verifyCallback(request: DinteroInboundRequest, url?: CallbackUrl): Promise<DinteroVerifiedCallback> {
    const secrets = (await this.config.callbackSecrets?.read()) ?? [];
    const checked = checkCallback(
      request,
      {
        secrets,
        accountId: this.accountId,
        toleranceSeconds: this.config.toleranceMs / 1000,
        publicUrl: this.config.publicUrl,
        now: () => this.clock.wallNow(),
      },
      url,
    );
    // The store keeps a digest of the signature, not the signature. A signature stays acceptable
    // while now is within the tolerance of its time: twice the tolerance at most.
    const replayKey = createHash('sha256').update(checked.signature).digest('hex');
    const held = await this.store.claim(this.key('callback', replayKey), DONE, 2 * this.config.toleranceMs);
    if (held !== undefined) throw refused('replayed', 'this signed callback was received before');
    return { accountId: checked.accountId, timestamp: checked.timestamp };
  }

  /** Verifies a delivery and claims its id. */
  async claimWebhook(request: DinteroInboundRequest): Promise<WebhookClaim> {
    const secrets = (await this.config.webhookSecrets?.read()) ?? [];
    const verified = verifyDinteroWebhook(request, { secrets });
    const key = this.key('webhook', verified.deliveryId);
    const held = await this.store.claim(key, PENDING, this.config.webhookReplayMs);
    if (held !== undefined) return { state: held === DONE ? 'done' : 'busy', verified };
    const settle = async (handled: boolean) => {
      // An empty value lapses at once: the delivery may be claimed again.
      await (handled ? this.store.set(key, DONE, this.config.webhookReplayMs) : this.store.set(key, '', 1));
    };
    return { state: 'new', verified, settle };
  }

  private key(kind: 'callback' | 'webhook', id: string): string {
    return `dintero-auth:inbound:{${this.accountId}}:${kind}:${id}`;
  }
}
