import type { AxiosRequestConfig } from 'axios';

// axios' own rule (lib/helpers/isAbsoluteURL.js, core/buildFullPath.js), restated: axios.getUri()
// would merge the whole config again on every request just for this.
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Who a request goes to: its resolved URL's origin and whether that URL carries user:password.
 */
export interface RequestTarget {
  readonly origin: string;
  readonly hasUserInfo: boolean;
}

// axios joins base and relative URL with a '/' (combineURLs.js): the path appended cannot change
// scheme, host, port or userinfo, so the target of every relative request is its base URL's.
// Parse each base once.
const baseTargets = new Map<string, RequestTarget | undefined>();
const MAX_CACHED_BASES = 64;

function targetOf(url: string): RequestTarget | undefined {
  const parsed = parse(url);
  return parsed && { origin: parsed.origin, hasUserInfo: parsed.username !== '' || parsed.password !== '' };
}

/**
 * Where a request will really go, resolved as axios resolves it (`baseURL` + `url`, an
 * absolute `url` winning unless `allowAbsoluteUrls` is false); undefined when that is not an
 * absolute URL. A test keeps this equal to what `axios.getUri()` gives.
 */
export function requestTarget(config: AxiosRequestConfig): RequestTarget | undefined {
  const url = config.url ?? '';
  const base = config.baseURL;
  if (!base || (ABSOLUTE_URL.test(url) && config.allowAbsoluteUrls !== false)) return targetOf(url);
  if (!baseTargets.has(base)) {
    if (baseTargets.size >= MAX_CACHED_BASES) baseTargets.clear();
    baseTargets.set(base, targetOf(base));
  }
  return baseTargets.get(base);
}
