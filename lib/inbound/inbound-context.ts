import { type ExecutionContext, Logger, UnauthorizedException } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { DinteroAccounts } from '../accounts/dintero-accounts.js';
import { isDinteroAuthError } from '../errors/is-dintero-auth-error.js';
import { DinteroErrorCode } from '../errors/dintero-error-code.js';
import { isAccountId } from '../options/account-id.js';
import { LOGGER_CONTEXT } from '../options/dintero-auth.constants.js';
import { DinteroInboundVerifier } from './dintero-inbound.verifier.js';
import { type DinteroInboundRequest, refused } from './inbound-request.js';

/** Where the guards keep what they verified, for `@DinteroVerified()`. */
export const VERIFIED = Symbol('DinteroVerified');

/** The HTTP request of a guard, as Express and Fastify give it, read as Dintero signs it. */
export interface GuardedRequest {
  readonly method: string;
  readonly url: string;
  readonly originalUrl?: string;
  readonly headers: DinteroInboundRequest['headers'];
  readonly rawBody?: Buffer;
  /** The parsed body: only to route a webhook to its account, never verified. */
  readonly body?: unknown;
  [VERIFIED]?: unknown;
}

export function inboundRequest(context: ExecutionContext): { http: GuardedRequest; request: DinteroInboundRequest } {
  const http = context.switchToHttp().getRequest<GuardedRequest>();
  // Express routers rewrite `url` under a mount point; `originalUrl` is what was received.
  return { http, request: { method: http.method, url: http.originalUrl ?? http.url, headers: http.headers, rawBody: http.rawBody } };
}

/**
 * The verifier for the account a request is about: `DinteroAuthModule`'s own account when it has
 * one (and the request is about it, or no `DinteroAccountsModule` is there), else that account's
 * in `DinteroAccounts`. Unknown accounts are refused like a bad signature.
 */
export async function verifierFor(moduleRef: ModuleRef, accountId: string | undefined): Promise<DinteroInboundVerifier> {
  const { own, accounts } = providersOf(moduleRef);
  if (own && (!accounts || accountId === undefined || accountId === own.accountId)) return own;
  if (!accounts) throw refused('unconfigured', 'neither DinteroAuthModule nor DinteroAccountsModule is imported');
  if (!isAccountId(accountId)) throw refused('malformed', 'the request names no Dintero account');
  try {
    return await accounts.inboundOf(accountId);
  } catch (error) {
    throw refused('mismatch', `no verifier for the account (${isDinteroAuthError(error) ? error.code : 'failure'})`);
  }
}

interface InboundProviders {
  readonly own: DinteroInboundVerifier | undefined;
  readonly accounts: DinteroAccounts | undefined;
}

/**
 * Looked up once per ModuleRef: Nest fixes what a ModuleRef finds at its first lookup anyway, and
 * a lookup that finds nothing throws, which cost as much as the signature check, on every request.
 */
const providers = new WeakMap<ModuleRef, InboundProviders>();

function providersOf(moduleRef: ModuleRef): InboundProviders {
  let found = providers.get(moduleRef);
  if (!found) {
    found = { own: lookup(moduleRef, DinteroInboundVerifier), accounts: lookup(moduleRef, DinteroAccounts) };
    providers.set(moduleRef, found);
  }
  return found;
}

function lookup<T>(moduleRef: ModuleRef, token: abstract new (...args: never[]) => T): T | undefined {
  try {
    return moduleRef.get(token, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * The fixed 401 for any refusal: a caller learns nothing of why. The reason is logged at debug
 * level; a configuration problem (no secret, no raw body), which refuses every request until
 * fixed, once as an error.
 */
export class Refusals {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly told = new Set<string>();

  constructor(private readonly kind: 'callback' | 'webhook') {}

  /** The 401 for a signature error; anything else is not a refusal and is thrown as it is. */
  refuse(error: unknown): UnauthorizedException {
    if (!isDinteroAuthError(error, DinteroErrorCode.SIGNATURE)) throw error;
    const line = `Dintero ${this.kind} refused: ${error.message}`;
    if (error.reason !== 'unconfigured') this.logger.debug(line);
    else if (!this.told.has(line)) {
      this.told.add(line);
      this.logger.error(line);
    }
    return new UnauthorizedException();
  }
}
