import { createHmac, timingSafeEqual } from 'node:crypto';
import { isAccountId } from '../options/account-id.js';
import { systemClock } from '../token/clock.js';
import { type CallbackUrl, readCallbackUrl } from './callback-url.js';
import { hmacKeys } from './hmac-keys.js';
import { type DinteroInboundRequest, readHeader, refused } from './inbound-request.js';

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
/** The header as Dintero writes it, read at once; any other spelling goes through the parts. */
const DINTERO_HEADER = /^t=(\d{1,12}),v0-hmac-sha256=([\dA-Fa-f]{64})$/;
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

/**
 * {@link verifyDinteroCallback}, with the signature for the replay check; `url` is the request's
 * URL if the caller read it already (the guard does, for the account). @internal
 */
export function checkCallback(
  request: DinteroInboundRequest,
  options: DinteroCallbackVerifyOptions,
  url: CallbackUrl = readCallbackUrl(request.url),
): CheckedCallback {
  const keys = hmacKeys(options.secrets, 'callback signature');
  const header = readHeader(request, HEADER);
  if (header === undefined) throw refused('missing', 'no Dintero-Signature header');
  const { t, signature } = parseSignatureHeader(header);
  const now = (options.now ?? systemClock.wallNow)();
  const toleranceMs = (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
  const signedAtMs = Number(t) * 1000;
  if (signedAtMs < now - toleranceMs) throw refused('expired', 'signed longer ago than the tolerance');
  if (signedAtMs > now + toleranceMs) throw refused('future', 'signed later than now plus the tolerance');

  const base = readBase(options.publicUrl ?? hostBase(request));
  const accountId = options.accountId ?? accountOf(url);
  const text = `${t}\n${accountId}\n${request.method.toUpperCase()}\n${base.hostname}\n${base.prefix}${url.pathname}\n${url.query}`;
  const given = Buffer.from(signature, 'hex');
  if (!keys.some((key) => timingSafeEqual(createHmac('sha256', key).update(text).digest(), given)))
    throw refused('mismatch', 'the signature does not match this request with any configured secret');
  return { accountId, timestamp: new Date(signedAtMs), signature: given };
}

/** `t=<unix seconds>,v0-hmac-sha256=<hex>`: each part once; parts of other schemes are ignored. */
function parseSignatureHeader(header: string): { t: string; signature: string } {
  const exact = DINTERO_HEADER.exec(header);
  if (exact !== null) return { t: exact[1]!, signature: exact[2]! };
  let t: string | undefined;
  let signature: string | undefined;
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    if (name !== 't' && name !== SCHEME) continue;
    if ((name === 't' ? t : signature) !== undefined) throw refused('malformed', `the signature header repeats ${name}`);
    const value = part.slice(at + 1).trim();
    if (name === 't') t = value;
    else signature = value;
  }
  if (t === undefined || signature === undefined) throw refused('malformed', `the signature header lacks t or ${SCHEME}`);
  if (!/^[0-9]{1,12}$/.test(t)) throw refused('malformed', 'the signature time is not a number of seconds');
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) throw refused('malformed', `the ${SCHEME} value is not 64 hexadecimal digits`);
  return { t, signature };
}

interface Base {
  readonly url: string;
  readonly hostname: string;
  /** The path a proxy strips before the app sees the request. */
  readonly prefix: string;
}

/** The last base read: an app has one public URL (or a few hosts), and parsing it costs a third of an HMAC. */
let lastBase: Base | undefined;

/** Host name and path prefix of the URL Dintero called. */
function readBase(url: string): Base {
  if (lastBase?.url === url) return lastBase;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refused('malformed', 'the request URL cannot be read');
  }
  lastBase = { url, hostname: parsed.hostname, prefix: withoutTrailingSlashes(parsed.pathname) };
  return lastBase;
}

/** A host name or address and an optional port: nothing that could add a path to what was signed. */
const HOST = /^(?:[\w-]+(?:\.[\w-]+)*|\[[\dA-Fa-f:.]+\])(?::\d{1,5})?$/;

function hostBase(request: DinteroInboundRequest): string {
  const host = readHeader(request, 'host');
  if (host === undefined) throw refused('malformed', 'no publicUrl is configured and the request has no Host header');
  if (!HOST.test(host)) throw refused('malformed', 'the Host header is not a host name and port');
  return `https://${host}`;
}

/** A loop, not `/\/+$/`: that pattern backtracks on a long run of slashes followed by anything else. */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end -= 1;
  return path.slice(0, end);
}

/** The account a callback is about, if it names one: the prefix of its transaction or session id. */
export function callbackAccountOf(url: CallbackUrl): string | undefined {
  for (const name of ACCOUNT_PARAMETERS) {
    const prefix = url.param(name)?.split('.', 1)[0];
    if (isAccountId(prefix)) return prefix;
  }
  return undefined;
}

function accountOf(url: CallbackUrl): string {
  const accountId = callbackAccountOf(url);
  if (accountId === undefined) throw refused('malformed', 'the callback names no transaction or session of a Dintero account');
  return accountId;
}
