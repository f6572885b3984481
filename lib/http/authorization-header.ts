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

/** Puts `value` under one spelling, on headers without an `Authorization` of their own. */
export function putAuthorization(headers: object, value: string): void {
  removeAuthorization(headers); // spellings left holding undefined
  (headers as Headers).Authorization = value;
}

/** Removes every spelling, from `AxiosHeaders` and plain objects alike. */
export function removeAuthorization(headers: object): void {
  for (const name of Object.keys(headers)) if (isAuthorization(name)) delete (headers as Headers)[name];
}
