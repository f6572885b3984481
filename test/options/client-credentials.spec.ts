/**
 * ClientCredentials: the secret leaves only as a Basic header, and `redact()` removes it from
 * server-provided text in every encoding a server could echo back.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientCredentials } from '../../lib/options/client-credentials.js';
import { secretForms } from '../support/secret-forms.js';

const printable = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));
/** A secret as normalizeOptions accepts one, with room for every special character. */
const secret = fc
  .tuple(
    fc.string({ unit: printable, minLength: 1, maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(' ', '"', '\\', '.', '+', '/', 'é'), maxLength: 3 }),
    printable,
  )
  .map(([head, middle, tail]) => `${head}${middle}${tail}`);
const clientId = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
/** Text around an echoed form: prose, JSON, a header line. */
const around = fc.constantFrom(['', ''], ['error: ', ' rejected'], ['{"detail":"', '"}'], ['Authorization: Basic ', '\r\n']);

describe('ClientCredentials.redact', () => {
  it('removes the secret and the id:secret pair in every encoding, wherever it appears in the text', () => {
    fc.assert(
      fc.property(clientId, secret, fc.boolean(), around, fc.nat(7), (id, value, asPair, [before, after], which) => {
        const credentials = new ClientCredentials(id, value);
        const form = secretForms(asPair ? `${id}:${value}` : value)[which]!;
        const redacted = credentials.redact(`${before}${form}${after}`);
        expect(redacted).toContain('<redacted>');
        expect(redacted).not.toContain(value);
        if (form.length >= 4) expect(redacted).not.toContain(form);
      }),
    );
  });

  it('removes the secret inside a longer base64 text, at any alignment', () => {
    fc.assert(
      fc.property(
        clientId,
        secret.filter((value) => Buffer.byteLength(value) >= 12),
        fc.uint8Array({ maxLength: 5 }),
        fc.uint8Array({ maxLength: 5 }),
        (id, value, prefix, suffix) => {
          const blob = Buffer.concat([prefix, Buffer.from(value, 'utf8'), suffix]).toString('base64');
          const redacted = new ClientCredentials(id, value).redact(blob);
          expect(redacted).toContain('<redacted>');
          for (const piece of redacted.split('<redacted>')) expect(Buffer.from(piece, 'base64').toString('utf8')).not.toContain(value);
        },
      ),
    );
  });

  it('replaces the longest form first: the pair goes whole, the client id with it', () => {
    const credentials = new ClientCredentials('my-client', 'sup3r s3cret/value+');
    expect(credentials.redact('my-client:sup3r s3cret/value+')).toBe('<redacted>');
    expect(credentials.redact(`Basic ${Buffer.from('my-client:sup3r s3cret/value+').toString('base64')}`)).toBe('Basic <redacted>');
    expect(credentials.redact('id=my-client&secret=sup3r+s3cret%2Fvalue%2B')).toBe('id=my-client&secret=<redacted>');
    expect(credentials.redact('nothing to hide')).toBe('nothing to hide');
  });

  it('examples: every occurrence; unpadded base64 and base64url of a secret whose base64 has "+" and two "="', () => {
    const credentials = new ClientCredentials('id', '>>>?'); // base64 Pj4+Pw==
    expect(credentials.redact('>>>? and again >>>?')).toBe('<redacted> and again <redacted>');
    expect(credentials.redact('a Pj4+Pw b')).toBe('a <redacted> b');
    expect(credentials.redact('a Pj4-Pw b')).toBe('a <redacted> b');
  });
});

describe('ClientCredentials shows only its client id', () => {
  it('in toString, JSON and util.inspect, for any secret; and sends it only as the Basic header', () => {
    fc.assert(
      fc.property(clientId, secret, (id, value) => {
        const credentials = new ClientCredentials(id, value);
        expect(String(credentials)).toBe(`[ClientCredentials clientId=${id} secret=<redacted>]`);
        expect(JSON.parse(JSON.stringify(credentials))).toEqual({ clientId: id, clientSecret: '<redacted>' });
        expect(inspect({ credentials }, { depth: 10, showHidden: true })).toContain(`[ClientCredentials clientId=${id} secret=<redacted>]`);
        expect(credentials.basicAuthorization()).toBe(`Basic ${Buffer.from(`${id}:${value}`, 'utf8').toString('base64')}`);
      }),
    );
  });
});
