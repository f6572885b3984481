import type { IncomingHttpHeaders } from 'node:http';
import { dinteroError } from './fake-error-body.js';
import type { FakeTokenClaims } from '../testing/fake-jwt.js';
import { bearerAccount } from './fake-bearer-account.js';
import type { FakeAnswer } from './fake-checkout-api.js';
import { subscriptionProblem } from './fake-hooks.validation.js';
import type { FakeSubscriptionRequest, FakeWebhooks } from './fake-webhooks.js';

const HOOKS_PATH = /^\/v1\/accounts\/([^/]+)\/hooks\/subscriptions(?:\/([^/]+?)(\/ping)?)?$/;

/** What the Hooks API needs from the server around it. */
export interface FakeHooksApiContext {
  readonly webhooks: FakeWebhooks;
  /** The claims of a valid, unrevoked, unexpired token of this server. */
  readonly verifyToken: (accessToken: string) => FakeTokenClaims | undefined;
  readonly allowLoopbackCallbacks: boolean;
}

/**
 * The fake's Hooks API: `/accounts/{aid}/hooks/subscriptions` (create, list), `/{id}` (read,
 * delete) and `/{id}/ping`, for a bearer token of that account. The fake's tokens carry checkout
 * scopes only, so it does not ask for Dintero's `read:hooks` / `write:hooks`.
 */
export class FakeHooksApi {
  constructor(private readonly context: FakeHooksApiContext) {}

  /** Whether `path` is one of the Hooks API's. */
  static handles(path: string): boolean {
    return HOOKS_PATH.test(path);
  }

  /** Answers one Hooks API request. */
  answer(method: string, path: string, headers: IncomingHttpHeaders, rawBody: string): FakeAnswer {
    const bearer = bearerAccount(headers.authorization, this.context.verifyToken);
    if ('refused' in bearer) return bearer.refused;
    const [, pathAccount, rawId, ping] = HOOKS_PATH.exec(path)!;
    const accountId = decodeURIComponent(pathAccount!);
    if (accountId !== bearer.accountId) return [403, dinteroError(`The token has no access to account ${accountId}`)];
    const { webhooks } = this.context;
    if (rawId === undefined) {
      if (method === 'GET') return [200, webhooks.subscriptionsOf(accountId)];
      if (method === 'POST') return this.create(accountId, rawBody, bearer.claims.sub);
      return noRoute(method, path);
    }
    const id = decodeURIComponent(rawId);
    const subscription = webhooks.subscriptionsOf(accountId).find((candidate) => candidate.id === id);
    if (!subscription) return [404, dinteroError('Subscription not found')];
    if (ping) {
      if (method !== 'POST') return noRoute(method, path);
      webhooks.ping(id);
      return [204, undefined];
    }
    if (method === 'GET') return [200, subscription];
    if (method === 'DELETE') {
      webhooks.unsubscribe(id);
      return [204, undefined];
    }
    return noRoute(method, path);
  }

  private create(accountId: string, rawBody: string, createdBy: string): FakeAnswer {
    let body: unknown;
    try {
      body = JSON.parse(rawBody) as unknown;
    } catch {
      return [400, dinteroError('body: is not JSON')];
    }
    const problem = subscriptionProblem(body, this.context.allowLoopbackCallbacks);
    if (problem) return [400, dinteroError(problem)];
    return [201, this.context.webhooks.subscribe(accountId, body as FakeSubscriptionRequest, createdBy)];
  }
}

function noRoute(method: string, path: string): FakeAnswer {
  return [404, dinteroError(`No route for ${method} ${path}`)];
}
