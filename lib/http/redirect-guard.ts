import type { AxiosRequestConfig } from 'axios';

type RedirectHook = NonNullable<AxiosRequestConfig['beforeRedirect']>;

/** The origin a request last went to: its own, then each redirect's. */
export interface RedirectTrail {
  origin: string;
}

function originOf(href: unknown): string {
  try {
    return new URL(String(href)).origin;
  } catch {
    return 'null';
  }
}

/** Removes every spelling of `Authorization` from a plain header object; returns the value it held. */
function takeAuthorization(headers: Record<string, unknown> | undefined): unknown {
  let taken: unknown;
  for (const name of Object.keys(headers ?? {})) {
    if (name.toLowerCase() !== 'authorization') continue;
    taken = headers![name];
    delete headers![name];
  }
  return taken;
}

/**
 * A `beforeRedirect` hook (the Node http adapter's, on every axios version) that lets
 * credentials follow a redirect only to the same origin, and records where each hop goes.
 * follow-redirects alone keeps `Authorization` on a hop to a subdomain or from http to https.
 * The app's own hook runs with the credentials taken out, so it never sees the token.
 */
export function guardRedirects(trail: RedirectTrail, appHook: RedirectHook | undefined): RedirectHook {
  return (options, responseDetails, requestDetails) => {
    const headers = options.headers as Record<string, unknown> | undefined;
    const authorization = takeAuthorization(headers);
    const auth: unknown = options.auth;
    delete options.auth;
    appHook?.(options, responseDetails, requestDetails);
    const origin = originOf(options.href);
    const sameOrigin = origin === trail.origin;
    trail.origin = origin;
    if (!sameOrigin) return;
    if (authorization !== undefined && headers) headers.Authorization = authorization;
    if (auth !== undefined) options.auth = auth;
  };
}
