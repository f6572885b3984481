import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackSignedText, signCallback, signWebhookBody } from '../../lib/fake-dintero/fake-signature.js';

// Dintero's published example, checked: the verifier in the main entry must agree with it too.
const VECTOR = {
  secret: '123',
  callback: { timestamp: 1582236537, accountId: 'P00000000', method: 'GET', url: new URL('https://example.com/callback?B=123&A=992') },
  text: '1582236537\nP00000000\nGET\nexample.com\n/callback\nA=992&B=123',
  digest: '6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a',
};

describe('the fake signs as Dintero does', () => {
  it("Dintero's test vector: the signed text and the header", () => {
    expect(callbackSignedText(VECTOR.callback)).toBe(VECTOR.text);
    expect(signCallback(VECTOR.secret, VECTOR.callback)).toBe(`t=1582236537,v0-hmac-sha256=${VECTOR.digest}`);
  });

  it('sorts by name only, keeps repeated names in their order, and writes a space as +', () => {
    const url = new URL('https://shop.example.com/a%20b/cb?z=1&report_event=REFUND&a=x%20y&report_event=CAPTURE');
    expect(callbackSignedText({ timestamp: 1, accountId: 'T12345678', method: 'post', url })).toBe(
      '1\nT12345678\nPOST\nshop.example.com\n/a%20b/cb\na=x+y&report_event=REFUND&report_event=CAPTURE&z=1',
    );
  });

  it('a query spelled differently (order, %20) signs the same', () => {
    const sign = (href: string) => signCallback('s', { timestamp: 2, accountId: 'T12345678', method: 'GET', url: new URL(href) });
    expect(sign('http://127.0.0.1:8080/cb?b=2&a=x%20y')).toBe(sign('http://127.0.0.1:8080/cb?a=x+y&b=2'));
    expect(sign('http://127.0.0.1:8080/cb?a=1')).not.toBe(sign('http://127.0.0.1:8080/cb?a=2'));
  });

  it('a webhook body: HMAC-SHA1 of its bytes, lower-case hex', () => {
    const body = '{"event":"ping","name":"Bjørn"}';
    const expected = createHmac('sha1', 'hook-secret').update(Buffer.from(body, 'utf8')).digest('hex');
    expect(signWebhookBody('hook-secret', body)).toBe(expected);
    expect(signWebhookBody('hook-secret', Buffer.from(body))).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{40}$/);
  });
});
