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
/** Up to this many parameters are sorted in place by insertion; more by `Array#sort`, in n log n. */
const INSERTION_SORT_MAX = 16;

class PlainCallbackUrl implements CallbackUrl {
  private constructor(
    readonly pathname: string,
    readonly query: string,
    /** Names and `name=value` parts, sorted by name, in step. */
    private readonly names: readonly string[],
    private readonly parts: readonly string[],
  ) {}

  /** `undefined` when a part would not be written back as it is. */
  static read(pathname: string, query: string): PlainCallbackUrl | undefined {
    const parts = query === '' ? [] : query.split('&');
    const names: string[] = [];
    let kept = 0;
    for (const part of parts) {
      if (part === '') continue;
      const at = part.indexOf('=');
      const name = at < 0 ? part : part.slice(0, at);
      // An escape or `+` in a name sorts by its decoded form; an `=` in a value is written `%3D`.
      if (name.includes('%') || name.includes('+') || (at >= 0 && part.indexOf('=', at + 1) >= 0)) return undefined;
      names[kept] = name;
      parts[kept] = at < 0 ? `${part}=` : part;
      kept += 1;
    }
    parts.length = kept;
    sortByName(names, parts);
    return new PlainCallbackUrl(pathname, parts.join('&'), names, parts);
  }

  param(name: string): string | undefined {
    const index = this.names.indexOf(name);
    if (index < 0) return undefined;
    const value = this.parts[index]!.slice(name.length + 1);
    // Only ASCII escapes got here, so decoding cannot fail.
    return value.includes('%') || value.includes('+') ? decodeURIComponent(value.replaceAll('+', ' ')) : value;
  }
}

/**
 * Sorts `parts` by `names`, both in step, keeping the order of equal names as URLSearchParams does.
 * Names are ASCII here, so code units order them alike.
 */
function sortByName(names: string[], parts: string[]): void {
  if (names.length > INSERTION_SORT_MAX) {
    const order = names.map((_, index) => index).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
    const [sortedNames, sortedParts] = [order.map((index) => names[index]!), order.map((index) => parts[index]!)];
    for (let k = 0; k < order.length; k += 1) {
      names[k] = sortedNames[k]!;
      parts[k] = sortedParts[k]!;
    }
    return;
  }
  for (let i = 1; i < names.length; i += 1) {
    const name = names[i]!;
    const part = parts[i]!;
    let j = i - 1;
    for (; j >= 0 && names[j]! > name; j -= 1) {
      names[j + 1] = names[j]!;
      parts[j + 1] = parts[j]!;
    }
    names[j + 1] = name;
    parts[j + 1] = part;
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
