import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DinteroSignatureError, verifyDinteroCallback } from '../../lib/index.js';
import type { DinteroInboundRequest } from '../../lib/inbound/inbound-request.js';
import { signCallback } from '../support/dintero-signing.js';

// The callback signature, checked as Dintero makes it: the checked test vector, then the
// request changed in every way that must (or must not) matter.

const VECTOR = {
  secret: '123',
  t: 1582236537,
  accountId: 'P00000000',
  signature: '6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a',
};
const SECRET = 'sig-secret-9f8e7d6c5b4a3210';
const T = 1_764_000_000;
const NOW = () => T * 1000;
const PUBLIC = 'https://shop.example.com';

/** The hex signature of a callback, signed as Dintero signs it. */
const sign = (secret: string, t: number, account: string, method: string, url: URL) =>
  signCallback(secret, t, account, method, url).split('v0-hmac-sha256=')[1]!;

function callback(url: string, header: string | undefined, extra: Record<string, string | string[]> = {}): DinteroInboundRequest {
  return {
    method: 'GET',
    url,
    headers: { host: 'shop.example.com', ...(header === undefined ? {} : { 'dintero-signature': header }), ...extra },
  };
}

const query = 'transaction_id=T12345678.465UfBENeLpkBvwmqfTC4k&merchant_reference=order 1&time=2026-11-24T12:00:00Z';
const path = `/payments/callback?${new URLSearchParams(query).toString()}`;
const header = (t = T, signature = sign(SECRET, t, 'T12345678', 'GET', new URL(path, PUBLIC))) => `t=${t},v0-hmac-sha256=${signature}`;
const options = { secrets: [SECRET], publicUrl: PUBLIC, now: NOW };

/** The reason a request is refused for, or 'verified'. */
function outcome(request: DinteroInboundRequest, opts: Parameters<typeof verifyDinteroCallback>[1] = options): string {
  try {
    verifyDinteroCallback(request, opts);
    return 'verified';
  } catch (error) {
    expect(error).toBeInstanceOf(DinteroSignatureError);
    return (error as DinteroSignatureError).reason;
  }
}

describe('verifyDinteroCallback', () => {
  it("passes Dintero's test vector, and the text it signs is written out here the same way", () => {
    const request = callback('/callback?B=123&A=992', `t=${VECTOR.t},v0-hmac-sha256=${VECTOR.signature}`);
    const verified = verifyDinteroCallback(request, {
      secrets: [VECTOR.secret],
      accountId: VECTOR.accountId,
      publicUrl: 'https://example.com',
      now: () => VECTOR.t * 1000,
    });
    expect(verified).toEqual({ accountId: VECTOR.accountId, timestamp: new Date(VECTOR.t * 1000) });
    expect(sign(VECTOR.secret, VECTOR.t, VECTOR.accountId, 'GET', new URL('https://example.com/callback?B=123&A=992'))).toBe(
      VECTOR.signature,
    );
  });

  it('takes the account from the transaction, the host name and path from publicUrl (with its prefix), or else from Host', () => {
    expect(verifyDinteroCallback(callback(path, header()), options)).toEqual({ accountId: 'T12345678', timestamp: new Date(T * 1000) });
    // Behind a proxy that strips /api: Dintero called https://shop.example.com/api/payments/callback.
    const behind = `t=${T},v0-hmac-sha256=${sign(SECRET, T, 'T12345678', 'GET', new URL(`/api${path}`, PUBLIC))}`;
    expect(outcome(callback(path, behind), { ...options, publicUrl: `${PUBLIC}/api/` })).toBe('verified');
    expect(outcome(callback(path, behind))).toBe('mismatch');
    expect(outcome(callback(path, header()), { secrets: [SECRET], now: NOW })).toBe('verified');
    expect(outcome(callback(path, header(), { host: 'evil.example.com' }), { secrets: [SECRET], now: NOW })).toBe('mismatch');
    // publicUrl wins over a forged Host.
    expect(outcome(callback(path, header(), { host: 'evil.example.com' }))).toBe('verified');
    expect(outcome(callback(path, header(), { host: 'shop.example.com:8443' }), { secrets: [SECRET], now: NOW })).toBe('verified');
  });

  it('a Host header is a host name and port: one that would add a path to what was signed is refused', () => {
    const noPublicUrl = { secrets: [SECRET], now: NOW };
    // Signed for /api/payments/callback; received as /payments/callback with the path smuggled into Host.
    const forApi = `t=${T},v0-hmac-sha256=${sign(SECRET, T, 'T12345678', 'GET', new URL(`/api${path}`, PUBLIC))}`;
    expect(outcome(callback(path, forApi, { host: 'shop.example.com/api' }), noPublicUrl)).toBe('malformed');
    expect(outcome(callback(path, forApi, { host: 'shop.example.com' }), { ...noPublicUrl, publicUrl: `${PUBLIC}/api///` })).toBe(
      'verified',
    );
  });

  it('any current secret of a rotation will do, the first or a later one', () => {
    expect(outcome(callback(path, header()), { ...options, secrets: ['new-secret', SECRET] })).toBe('verified');
    expect(outcome(callback(path, header()), { ...options, secrets: ['new-secret'] })).toBe('mismatch');
  });

  it('a list of secrets changed in place is read again (keys are kept per list)', () => {
    const secrets = [SECRET];
    const rotating = { ...options, secrets };
    expect(outcome(callback(path, header()), rotating)).toBe('verified');
    secrets[0] = 'new-secret';
    expect(outcome(callback(path, header()), rotating)).toBe('mismatch');
    secrets.push(SECRET);
    expect(outcome(callback(path, header()), rotating)).toBe('verified');
    secrets.length = 0;
    expect(outcome(callback(path, header()), rotating)).toBe('unconfigured');
  });

  it('within the tolerance either way, five minutes by default', () => {
    expect(outcome(callback(path, header(T - 300)))).toBe('verified');
    expect(outcome(callback(path, header(T - 301)))).toBe('expired');
    expect(outcome(callback(path, header(T + 300)))).toBe('verified');
    expect(outcome(callback(path, header(T + 301)))).toBe('future');
    expect(outcome(callback(path, header(T - 30)), { ...options, toleranceSeconds: 20 })).toBe('expired');
    // Dintero's own example accepts any old timestamp: this one does not.
    expect(outcome(callback(path, header(T - 5 * 3600)))).toBe('expired');
  });

  it('refuses a missing, repeated, oversized or unreadable signature, and any request with no secret', () => {
    const good = header();
    const signature = good.split('v0-hmac-sha256=')[1]!;
    const cases: [string | undefined, string][] = [
      [undefined, 'missing'],
      ['', 'missing'],
      [`t=${T}`, 'malformed'],
      [`v0-hmac-sha256=${signature}`, 'malformed'],
      [`t=${T},t=${T},v0-hmac-sha256=${signature}`, 'malformed'],
      [`t=${T},v0-hmac-sha256=${signature},v0-hmac-sha256=${signature}`, 'malformed'],
      [`t=${T}x,v0-hmac-sha256=${signature}`, 'malformed'],
      [`t=-${T},v0-hmac-sha256=${signature}`, 'malformed'],
      [`t=${T},v0-hmac-sha256=${signature.slice(0, 63)}`, 'malformed'],
      [`t=${T},v0-hmac-sha256=${signature}${'0'.repeat(1100)}`, 'malformed'],
      [`t=${T},v0-hmac-sha256=${'0'.repeat(64)}`, 'mismatch'],
      [`v1-future=abc, t=${T} , v0-hmac-sha256=${signature.toUpperCase()}`, 'verified'],
    ];
    expect(cases.map(([value]) => outcome(callback(path, value)))).toEqual(cases.map(([, reason]) => reason));
    expect(outcome(callback(path, good, { 'dintero-signature': [good, good] }))).toBe('malformed');
    expect(outcome(callback(path, good), { ...options, secrets: [] })).toBe('unconfigured');
    expect(outcome(callback(path, good), { ...options, secrets: [''] })).toBe('unconfigured');
    expect(outcome(callback('/payments/callback?merchant_reference=x', good))).toBe('malformed');
  });

  it('another method or path, or a changed, added or dropped parameter, is a mismatch; order and spelling of the query are not', () => {
    const good = header();
    expect(outcome({ ...callback(path, good), method: 'POST' })).toBe('mismatch');
    expect(outcome(callback(path.replace('/payments/', '/payment/'), good))).toBe('mismatch');
    expect(outcome(callback(`${path}&extra=1`, good))).toBe('mismatch');
    expect(outcome(callback(path.replace('&time=2026-11-24T12%3A00%3A00Z', ''), good))).toBe('mismatch');
    expect(outcome(callback(path.replace('order+1', 'order+2'), good))).toBe('mismatch');
    const reordered = `/payments/callback?time=2026-11-24T12:00:00Z&merchant_reference=order%201&transaction_id=T12345678.465UfBENeLpkBvwmqfTC4k`;
    expect(outcome(callback(reordered, good))).toBe('verified');
  });

  it('property: any query, in any order and spelling, verifies; one changed value does not', () => {
    const value = fc.string({ minLength: 0, maxLength: 12 });
    const params = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z_]{1,8}$/), value), { selector: ([name]) => name, maxLength: 6 });
    fc.assert(
      fc.property(params, fc.integer({ min: -300, max: 300 }), fc.nat(), (pairs, skew, seed) => {
        const all: [string, string][] = [['transaction_id', 'P87654321.abc'], ...pairs.filter(([name]) => name !== 'transaction_id')];
        const url = new URL(`/cb?${new URLSearchParams(all).toString()}`, PUBLIC);
        const t = T + skew;
        const signed = `t=${t},v0-hmac-sha256=${sign(SECRET, t, 'P87654321', 'GET', url)}`;
        const shuffled = [...all].sort(() => (seed % 3) - 1);
        const spelled = new URLSearchParams(shuffled).toString().replace(/\+/g, '%20');
        expect(outcome(callback(`/cb?${spelled}`, signed))).toBe('verified');
        const [name, old] = all[seed % all.length]!;
        const changed = all.map(([n, v]): [string, string] => (n === name ? [n, `${old}x`] : [n, v]));
        expect(outcome(callback(`/cb?${new URLSearchParams(changed).toString()}`, signed))).not.toBe('verified');
      }),
    );
  });

  it('says why in general terms only: no secret, no signature, in the message, inspect or JSON', () => {
    const expected = header().split('=').pop()!;
    for (const request of [callback(path, header(T + 1000)), callback(`${path}&x=1`, header())]) {
      let caught: unknown;
      try {
        verifyDinteroCallback(request, options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DinteroSignatureError);
      const shown = [(caught as Error).message, inspect(caught), JSON.stringify(caught), String((caught as Error).stack)].join('\n');
      for (const hidden of [SECRET, expected, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('hex')]) {
        expect(shown).not.toContain(hidden);
      }
      expect(caught).toMatchObject({ code: 'DINTERO_SIGNATURE', retryable: false });
    }
  });
});
