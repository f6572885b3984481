// Every spelling of the name reads like this in lower case.
const AUTHORIZATION = 'authorization';

type Headers = Record<string, unknown>;

function isAuthorization(name: string): boolean {
  // Most header names have another length: no lower-case copy of them.
  return name.length === AUTHORIZATION.length && name.toLowerCase() === AUTHORIZATION;
}

// The Authorization header, any spelling, read and written on the header object itself (an
// `AxiosHeaders` keeps each header as a property of its own, as axios' docs show interceptors
// doing). `AxiosHeaders.has`, `set` and `delete` would look the name up again each, and `set`
// would scan the whole token for characters a header cannot hold, on every call: the token was
// checked for those once, when it arrived, and Node refuses them in any header.

/**
 * Whether a request carries an `Authorization` of its own: any spelling, any value but undefined
 * (`false` and `null` are axios' way to send none, and so the app's choice).
 */
export function hasAuthorization(headers: object): boolean {
  for (const name of Object.keys(headers)) if (isAuthorization(name) && (headers as Headers)[name] !== undefined) return true;
  return false;
}

/**
 * Puts `value` on headers without an `Authorization` of their own. Another spelling may still
 * hold undefined: axios' adapters merge spellings as they send (`normalize()`), keeping the value
 * under the first, and {@link removeAuthorization} finds it there too.
 */
export function putAuthorization(headers: object, value: string): void {
  (headers as Headers).Authorization = value;
}

/**
 * Removes every spelling that holds a value, from `AxiosHeaders` and plain objects alike. With
 * `put`, the value {@link putAuthorization} put, the usual case is quick: found where it was
 * put (and, by then, only there), it is set to undefined, which axios, like JSON, leaves out.
 * Deleting the property would turn the header object into a slow dictionary, the most
 * expensive step of redaction.
 */
export function removeAuthorization(headers: object, put?: string): void {
  const named = headers as Headers;
  if (put !== undefined && named.Authorization === put) {
    named.Authorization = undefined;
    return;
  }
  for (const name of Object.keys(headers)) if (isAuthorization(name) && named[name] !== undefined) delete named[name];
}
