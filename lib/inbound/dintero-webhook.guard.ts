import { type CanActivate, ConflictException, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import type { WebhookClaim } from './dintero-inbound.verifier.js';
import { type GuardedRequest, inboundRequest, Refusals, VERIFIED, verifierFor } from './inbound-context.js';

/**
 * Lets through only webhook deliveries signed with the subscription's secret (`event-signature`
 * over the raw body: create the app with `{ rawBody: true }`), and each delivery once:
 * - a new delivery runs the handler; if the handler answers 2xx the delivery is remembered
 *   (`signature.webhookReplaySeconds`), otherwise it is given back, so Dintero's retry runs it again;
 * - a delivery already handled is answered `200 {"status":"already handled"}` without running the
 *   handler: Dintero retries until it gets a 2xx, and the work is done;
 * - one still being handled (a retry that overtook it) gets 409, and Dintero tries again later.
 * Anything unsigned or wrongly signed gets a plain 401. The account comes from the body's `account_id`.
 */
@Injectable()
export class DinteroWebhookGuard implements CanActivate {
  private readonly refusals = new Refusals('webhook');

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { http, request } = inboundRequest(context);
    let claim: WebhookClaim;
    try {
      const verifier = await verifierFor(this.moduleRef, accountOf(http));
      claim = await verifier.claimWebhook(request);
    } catch (error) {
      throw this.refusals.refuse(error);
    }
    if (claim.state !== 'new') {
      throw claim.state === 'done'
        ? new HttpException({ status: 'already handled' }, HttpStatus.OK)
        : new ConflictException('This delivery is being handled');
    }
    const { settle } = claim;
    const response = rawResponse(context.switchToHttp().getResponse());
    let settled = false;
    const once = (handled: boolean) => {
      if (settled) return;
      settled = true;
      settle(handled).catch(() => undefined);
    };
    // 'finish' when the answer went out; 'close' alone when the connection dropped first.
    response.once('finish', () => once(response.statusCode >= 200 && response.statusCode < 300));
    response.once('close', () => once(false));
    http[VERIFIED] = claim.verified;
    return true;
  }
}

/** Express hands the Node response itself; Fastify a reply with it as `raw`. */
function rawResponse(response: ServerResponse | { raw: ServerResponse }): ServerResponse {
  return 'raw' in response ? response.raw : response;
}

function accountOf(http: GuardedRequest): string | undefined {
  const body = http.body as { account_id?: unknown } | undefined;
  return typeof body?.account_id === 'string' ? body.account_id : undefined;
}
