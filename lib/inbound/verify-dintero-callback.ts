import { createHmac, timingSafeEqual } from 'node:crypto';
import { isAccountId } from '../options/account-id.js';
import { systemClock } from '../token/clock.js';
import { type DinteroInboundRequest, readHeader, readSecrets, refused } from './inbound-request.js';

/** How to check a callback. */
export interface DinteroCallbackVerifyOptions {
  /** Signature secrets of the account (`POST /v1/admin/signature`), current first; several during a rotation. */
  readonly secrets: readonly string[];
  /** The account the callback is for; by default the prefix of its `transaction_id` or `session_id`. */
  readonly accountId?: string | undefined;
  /** How far the signature's time may be from now, either way. Default 300 (Dintero's recommendation). */
  readonly toleranceSeconds?: number | undefined;
  /**
   * The app's public base URL, as Dintero calls it (`https://shop.example.com`, or with the path
   * prefix a proxy strips: `https://shop.example.com/api`). The signed host name and path come from
   * it; without it, from the `Host` header, which a proxy may rewrite and a client may forge.
   */
  readonly publicUrl?: string | undefined;
  /** Epoch milliseconds now. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** What a verified callback proved. */
export interface DinteroVerifiedCallback {
  readonly accountId: string;
  /** When Dintero signed it. */
  readonly timestamp: Date;
}

/** The verified callback, with its signature for the replay check. @internal */
export interface CheckedCallback extends DinteroVerifiedCallback {
  /** The signature's bytes: the same callback sent twice has the same ones. */
  readonly signature: Buffer;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;
const HEADER = 'dintero-signature';
const SCHEME = 'v0-hmac-sha256';
const ACCOUNT_PARAMETERS = ['transaction_id', 'session_id', 'sid'];

/**
 * Checks the `Dintero-Signature` of a callback: HMAC-SHA256, keyed with the account's signature
 * secret, over `<t>\n<account>\n<METHOD>\n<host name>\n<path>\n<query sorted>`, within
 * `toleranceSeconds` of now. Returns what it proved, or throws {@link DinteroSignatureError}.
 * Stateless: the same callback passes twice (the guards refuse the second).
 */
export function verifyDinteroCallback(request: DinteroInboundRequest, options: DinteroCallbackVerifyOptions): DinteroVerifiedCallback {
  const { accountId, timestamp } = checkCallback(request, options);
  return { accountId, timestamp };
}

/** {@link verifyDinteroCallback}, with the signature for the replay check. @internal */
export function checkCallback(request: DinteroInboundRequest, options: DinteroCallbackVerifyOptions): CheckedCallback {
  const secrets = readSecrets(options.secrets, 'callback signature');
  const header = readHeader(request, HEADER);
  if (header === undefined) throw refused('missing', 'no Dintero-Signature header');
  const { t, signature } = parseSignatureHeader(header);
  const now = (options.now ?? systemClock.wallNow)();
  const toleranceMs = (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
  const signedAtMs = Number(t) * 1000;
  if (signedAtMs < now - toleranceMs) throw refused('expired', 'signed longer ago than the tolerance');
  if (signedAtMs > now + toleranceMs) throw refused('future', 'signed later than now plus the tolerance');

  const target = callbackTarget(request, options.publicUrl);
  const accountId = options.accountId ?? accountOf(target.query);
  const text = [t, accountId, request.method.toUpperCase(), target.hostname, target.pathname, target.query.toString()].join('\n');
  const given = Buffer.from(signature, 'hex');
  const matches = secrets.some((secret) => timingSafeEqual(createHmac('sha256', secret).update(text).digest(), given));
  if (!matches) throw refused('mismatch', 'the signature does not match this request with any configured secret');
  return { accountId, timestamp: new Date(signedAtMs), signature: given };
}

/** `t=<unix seconds>,v0-hmac-sha256=<hex>`: each part once; parts of other schemes are ignored. */
function parseSignatureHeader(header: string): { t: string; signature: string } {
  const parts = new Map<string, string>();
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    if (name !== 't' && name !== SCHEME) continue;
    if (parts.has(name)) throw refused('malformed', `the signature header repeats ${name}`);
    parts.set(name, part.slice(at + 1).trim());
  }
  const t = parts.get('t');
  const signature = parts.get(SCHEME);
  if (t === undefined || signature === undefined) throw refused('malformed', `the signature header lacks t or ${SCHEME}`);
  if (!/^[0-9]{1,12}$/.test(t)) throw refused('malformed', 'the signature time is not a number of seconds');
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) throw refused('malformed', `the ${SCHEME} value is not 64 hexadecimal digits`);
  return { t, signature };
}

/** The host name, path and query Dintero signed: the query sorted by name, encoded as URLSearchParams does. */
function callbackTarget(
  request: DinteroInboundRequest,
  publicUrl: string | undefined,
): { hostname: string; pathname: string; query: URLSearchParams } {
  const base = publicUrl ?? hostBase(request);
  let received: URL;
  let publicBase: URL;
  try {
    publicBase = new URL(base);
    received = new URL(request.url, 'http://received.invalid');
  } catch {
    throw refused('malformed', 'the request URL cannot be read');
  }
  const prefix = publicBase.pathname.replace(/\/+$/, '');
  const query = new URLSearchParams(received.search);
  query.sort();
  return { hostname: publicBase.hostname, pathname: `${prefix}${received.pathname}`, query };
}

function hostBase(request: DinteroInboundRequest): string {
  const host = readHeader(request, 'host');
  if (host === undefined) throw refused('malformed', 'no publicUrl is configured and the request has no Host header');
  return `https://${host}`;
}

/** The account a callback is about, if it names one: the prefix of its transaction or session id. */
export function callbackAccountOf(query: URLSearchParams): string | undefined {
  for (const name of ACCOUNT_PARAMETERS) {
    const prefix = query.get(name)?.split('.')[0];
    if (isAccountId(prefix)) return prefix;
  }
  return undefined;
}

function accountOf(query: URLSearchParams): string {
  const accountId = callbackAccountOf(query);
  if (accountId === undefined) throw refused('malformed', 'the callback names no transaction or session of a Dintero account');
  return accountId;
}
