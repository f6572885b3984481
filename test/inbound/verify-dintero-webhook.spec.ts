import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DinteroSignatureError, verifyDinteroWebhook } from '../../lib/index.js';
import type { DinteroInboundRequest } from '../../lib/inbound/inbound-request.js';
import { signWebhook } from '../support/dintero-signing.js';

// A webhook delivery is signed over its raw body bytes (HMAC-SHA1, hex), with no time: what the
// function proves, and what it refuses.

const SECRET = 'hook-secret-0a1b2c3d4e5f';
const DELIVERY = '9ebb6d41-5c1e-4c2a-9a57-1e7f3c4b2a10';
const body = Buffer.from(
  '{"account_id":"P12345678","event":"checkout_transaction","transaction":{"id":"P12345678.465UfBENeLpkBvwmqfTC4k"}}',
);
const sha1 = signWebhook;

/** A delivery with `rawBody` (`null`: the app did not keep it). */
function delivery(headers: Record<string, string | string[]>, rawBody: Buffer | null = body): DinteroInboundRequest {
  return { method: 'POST', url: '/hooks/dintero', headers, rawBody: rawBody ?? undefined };
}
const signed = (bytes = body, secret = SECRET) => ({
  event: 'checkout_transaction',
  'event-delivery': DELIVERY,
  'event-signature': sha1(secret, bytes),
});

function outcome(request: DinteroInboundRequest, secrets = [SECRET]): string {
  try {
    verifyDinteroWebhook(request, { secrets });
    return 'verified';
  } catch (error) {
    expect(error).toBeInstanceOf(DinteroSignatureError);
    return (error as DinteroSignatureError).reason;
  }
}

describe('verifyDinteroWebhook', () => {
  it('proves the delivery id and event of a body signed with the subscription secret, current or previous', () => {
    expect(verifyDinteroWebhook(delivery(signed()), { secrets: [SECRET] })).toEqual({
      deliveryId: DELIVERY,
      event: 'checkout_transaction',
    });
    expect(outcome(delivery(signed()), ['new-secret', SECRET])).toBe('verified');
    expect(outcome(delivery(signed()), ['new-secret'])).toBe('mismatch');
  });

  it('refuses missing or unreadable headers, a raw body it was not given, and any delivery with no secret', () => {
    const { event, 'event-delivery': id, 'event-signature': signature } = signed();
    expect(outcome(delivery({ event, 'event-delivery': id }))).toBe('missing');
    expect(outcome(delivery({ event, 'event-signature': signature }))).toBe('missing');
    expect(outcome(delivery({ 'event-delivery': id, 'event-signature': signature }))).toBe('missing');
    expect(outcome(delivery({ ...signed(), 'event-signature': signature.slice(0, 39) }))).toBe('malformed');
    expect(outcome(delivery({ ...signed(), 'event-signature': [signature, signature] }))).toBe('malformed');
    expect(outcome(delivery({ ...signed(), 'event-delivery': 'x'.repeat(65) }))).toBe('malformed');
    expect(outcome(delivery({ ...signed(), 'event-delivery': 'a b' }))).toBe('malformed');
    expect(outcome(delivery({ ...signed(), event: 'x'.repeat(2000) }))).toBe('malformed');
    expect(outcome(delivery(signed(), null))).toBe('unconfigured');
    expect(outcome(delivery(signed()), [])).toBe('unconfigured');
  });

  it('says how to keep the raw body when it is missing, never verifying a body serialized again', () => {
    const parsedAgain = { ...delivery(signed(), null), body: JSON.parse(body.toString()) as unknown };
    expect(() => verifyDinteroWebhook(parsedAgain, { secrets: [SECRET] })).toThrow(
      'the raw body is not available: create the app with NestFactory.create(AppModule, { rawBody: true })',
    );
  });

  it('property: a body changed by one byte is a mismatch; the same bytes verify', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
        const original = Buffer.from(bytes);
        const headers = signed(original);
        expect(outcome(delivery(headers, Buffer.from(original)))).toBe('verified');
        const changed = Buffer.from(original);
        changed[at % changed.length] = changed[at % changed.length]! ^ flip;
        expect(outcome(delivery(headers, changed))).toBe('mismatch');
      }),
    );
  });

  it('shows neither the secret nor the expected signature', () => {
    const expected = sha1(SECRET, body);
    let caught: unknown;
    try {
      verifyDinteroWebhook(delivery({ ...signed(), 'event-signature': '0'.repeat(40) }), { secrets: [SECRET] });
    } catch (error) {
      caught = error;
    }
    const shown = [(caught as Error).message, inspect(caught), JSON.stringify(caught)].join('\n');
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(expected);
    expect(caught).toMatchObject({ reason: 'mismatch', code: 'DINTERO_SIGNATURE' });
  });
});
