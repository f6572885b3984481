import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Claims of the fake server's tokens: enough for its API endpoints to check them. */
export interface FakeTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  readonly scopes: string;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** HS256 JWT signing and verification over `node:crypto`, with a key made per server. */
export class FakeJwtSigner {
  private readonly key = randomBytes(32);

  sign(claims: FakeTokenClaims): string {
    const unsigned = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
    return `${unsigned}.${this.signature(unsigned)}`;
  }

  /** The claims of a token this signer made, or undefined if it is forged or malformed. */
  verify(token: string): FakeTokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.signature(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as FakeTokenClaims;
    } catch {
      return undefined;
    }
  }

  private signature(unsigned: string): string {
    return createHmac('sha256', this.key).update(unsigned).digest('base64url');
  }
}
