import { refused } from './inbound-request.js';

/** The path and query of a callback as Dintero signs them. */
export interface CallbackUrl {
  /** The path as a WHATWG URL reads it. */
  readonly pathname: string;
  /** The query sorted by name (stable), form-encoded: what `URLSearchParams` `sort()` then `toString()` give. */
  readonly query: string;
  /** The first value of parameter `name`, decoded. */
  param(name: string): string | undefined;
}

/**
 * Reads a request's `url` (path and query as received) the way Dintero signs it. Most callbacks
 * hold only characters that URL parsing and form encoding leave as they are; those are read in one
 * pass, since a `URL` and a `URLSearchParams` round trip cost more than the HMAC itself. Anything
 * else goes through `URL` and `URLSearchParams`, which define the result.
 */
export function readCallbackUrl(url: string): CallbackUrl {
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const query = at < 0 ? '' : url.slice(at + 1);
  if (!NOT_PLAIN_PATH.test(path) && !DOT_SEGMENT.test(path) && !NOT_PLAIN_QUERY.test(query)) {
    const plain = PlainCallbackUrl.read(path, query);
    if (plain !== undefined) return plain;
  }
  return parsedCallbackUrl(url);
}

// Each pattern finds the first character that is not plain, in one linear scan (no nested
// quantifier: a URL is chosen by whoever sends the request).

/**
 * Anything but one leading slash (two would start a host) and path characters a WHATWG URL keeps
 * as they are; the parser encodes or maps (`\` is `/`) the others, so they take the slow path.
 */
const NOT_PLAIN_PATH = /^(?!\/)|^\/\/|[^\w.~!$&'()*+,;=:@/%-]|%(?![\dA-Fa-f]{2})/;
/** `.` and `..` segments (also spelled `%2e`) are resolved by the parser. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;
/**
 * Anything form encoding would not give back unchanged: it keeps letters, digits and `*-._`, writes
 * `+` for a space, and upper-case escapes of other ASCII bytes (`#` would end the query).
 */
const NOT_PLAIN_QUERY = /[^\w*.=&+%-]|%(?![0-7][\dA-F])|%(?:2[0ADE]|3\d|4[1-9A-F]|5[\dAF]|6[1-9A-F]|7[\dA])/;
class PlainCallbackUrl implements CallbackUrl {
  private constructor(
    readonly pathname: string,
    readonly query: string,
    /** Name and `name=value` of each parameter, sorted by name. */
    private readonly pairs: readonly (readonly [string, string])[],
  ) {}

  /** `undefined` when a part would not be written back as it is. */
  static read(pathname: string, query: string): PlainCallbackUrl | undefined {
    const pairs: [string, string][] = [];
    for (const part of query.split('&')) {
      if (part === '') continue;
      const at = part.indexOf('=');
      const name = at < 0 ? part : part.slice(0, at);
      // An escape or `+` in a name sorts by its decoded form; an `=` in a value is written `%3D`.
      if (name.includes('%') || name.includes('+') || (at >= 0 && part.indexOf('=', at + 1) >= 0)) return undefined;
      pairs.push([name, at < 0 ? `${part}=` : part]);
    }
    // Array#sort is stable, as URLSearchParams' sort is; names are ASCII, so code units order them alike.
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return new PlainCallbackUrl(pathname, pairs.map(([, part]) => part).join('&'), pairs);
  }

  param(name: string): string | undefined {
    const part = this.pairs.find((pair) => pair[0] === name)?.[1];
    if (part === undefined) return undefined;
    const value = part.slice(name.length + 1);
    // Only ASCII escapes got here, so decoding cannot fail.
    return value.includes('%') || value.includes('+') ? decodeURIComponent(value.replaceAll('+', ' ')) : value;
  }
}

function parsedCallbackUrl(url: string): CallbackUrl {
  let received: URL;
  try {
    received = new URL(url, 'http://received.invalid');
  } catch {
    throw refused('malformed', 'the request URL cannot be read');
  }
  const params = new URLSearchParams(received.search);
  const sorted = new URLSearchParams(params);
  sorted.sort();
  return { pathname: received.pathname, query: sorted.toString(), param: (name) => params.get(name) ?? undefined };
}
