import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DinteroSignatureError } from '../../lib/index.js';
import { readCallbackUrl } from '../../lib/inbound/callback-url.js';

// The one-pass reading of a callback URL must give what URL and URLSearchParams give (Dintero signs
// the query sorted and form-encoded) for every URL, plain or not: a difference refuses genuine callbacks.

/** The definition: a WHATWG URL, its query parsed, sorted and serialized. */
function reference(url: string) {
  const parsed = new URL(url, 'http://received.invalid');
  const params = new URLSearchParams(parsed.search);
  const sorted = new URLSearchParams(params);
  sorted.sort();
  return { pathname: parsed.pathname, query: sorted.toString(), params };
}

function expectSameAsReference(url: string, names: readonly string[]) {
  let expected: ReturnType<typeof reference>;
  try {
    expected = reference(url);
  } catch {
    expect(() => readCallbackUrl(url)).toThrow(DinteroSignatureError);
    return;
  }
  const read = readCallbackUrl(url);
  expect({ pathname: read.pathname, query: read.query }).toEqual({ pathname: expected.pathname, query: expected.query });
  for (const name of names) expect(read.param(name)).toBe(expected.params.get(name) ?? undefined);
}

/** Characters that matter to URL parsing and form encoding, and a few that do not. */
const piece = fc.oneof(
  fc.constantFrom('a', 'Z', '0', '_', '-', '.', '*', '~', '+', ' ', '=', '&', '%', '#', '/', '\\', "'", '"', '!', '$', ';', ':', '@', '?'),
  fc.constantFrom('%20', '%2B', '%2b', '%3A', '%3a', '%41', '%7E', '%2E', '%2e', '%25', '%C3%A6', '%FF', '%0A', '%5B', '%60', '%7F'),
  fc.constantFrom('æ', '€', '\u0000', '\u007f'),
);
/** Only what the one-pass reading takes (or nearly): most URLs Dintero sends look like these. */
const plainPiece = fc.constantFrom('a', 'Z', '0', '_', '-', '.', '*', '+', '=', '&', '%3A', '%2B', '%41', '%3a', 'T12345678.x');
const text = (max: number) => fc.array(piece, { maxLength: max }).map((parts) => parts.join(''));
const segment = fc.oneof(text(4), fc.constantFrom('.', '..', '%2e', '%2E.', 'payments', 'callback'));

describe('readCallbackUrl', () => {
  it('reads a typical callback in one pass, as URLSearchParams would', () => {
    const url =
      '/payments/callback?order=o-7&transaction_id=T12345678.465UfBENeLpkBvwmqfTC4k&session_id=T12345678.5Zk&time=2026-12-06T13%3A00%3A00.000Z&merchant_reference=order+1';
    expectSameAsReference(url, ['transaction_id', 'merchant_reference', 'time', 'missing']);
    expect(readCallbackUrl(url).query).toBe(
      'merchant_reference=order+1&order=o-7&session_id=T12345678.5Zk&time=2026-12-06T13%3A00%3A00.000Z&transaction_id=T12345678.465UfBENeLpkBvwmqfTC4k',
    );
  });

  it('an `=` inside a value is written `%3D`, as URLSearchParams writes it (base64 padding)', () => {
    expectSameAsReference('/cb?merchant_ref=b2Zm==&transaction_id=T12345678.x', ['merchant_ref']);
    expect(readCallbackUrl('/cb?merchant_ref=b2Zm==').query).toBe('merchant_ref=b2Zm%3D%3D');
  });

  it('keeps repeated names in received order, and writes a bare name as `name=`', () => {
    expectSameAsReference('/cb?b=2&a=1&b=1&a=0&c&&=x', ['a', 'b', 'c', '']);
    expect(readCallbackUrl('/cb?b=2&a=1&b=1&c').query).toBe('a=1&b=2&b=1&c=');
  });

  it('sorts many parameters as it sorts few', () => {
    const pairs = Array.from({ length: 40 }, (_, index) => `p${(index * 7) % 13}=${index}`);
    expectSameAsReference(`/cb?${pairs.join('&')}`, ['p0', 'p12']);
  });

  it('reads a long URL that is plain up to its last character in one scan (a backtracking pattern would never finish)', () => {
    for (const tail of ['!', '%', '"', '\u00e6']) {
      const plainLong = 'a'.repeat(5_000);
      expectSameAsReference(`/cb?x=${plainLong}${tail}`, ['x']);
      expectSameAsReference(`/${plainLong}${tail}?x=1`, ['x']);
    }
  });

  it('property: any path and query give what URL and URLSearchParams give', () => {
    const url = fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.option(text(24), { nil: undefined }))
      .map(([segments, query]) => `/${segments.join('/')}${query === undefined ? '' : `?${query}`}`);
    fc.assert(
      fc.property(url, fc.array(text(3), { maxLength: 3 }), (received, names) => {
        expectSameAsReference(received, names);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: plain-looking queries, where the one-pass reading applies, give the same', () => {
    const query = fc.array(plainPiece, { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(query, fc.array(fc.constantFrom('a', 'Z', '_', 'a.', ''), { maxLength: 3 }), (received, names) => {
        expectSameAsReference(`/payments/callback?${received}`, names);
      }),
      { numRuns: 3000 },
    );
  });
});
