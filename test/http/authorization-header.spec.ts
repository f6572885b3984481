import { AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { hasAuthorization, putAuthorization, removeAuthorization } from '../../lib/http/authorization-header.js';

const SPELLINGS = ['Authorization', 'authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn'];

describe('the Authorization header, on the header object itself', () => {
  it.each(SPELLINGS)('%s with a value is a header of its own, on AxiosHeaders and plain objects', (name) => {
    expect(hasAuthorization(new AxiosHeaders({ Accept: 'application/json', [name]: 'Basic abc' }))).toBe(true);
    expect(hasAuthorization({ [name]: 'Basic abc' })).toBe(true);
  });

  it("false and null are the app's way to send none: its own too; undefined is no header", () => {
    expect(hasAuthorization(new AxiosHeaders({ Authorization: false }))).toBe(true);
    expect(hasAuthorization({ authorization: null })).toBe(true);
    expect(hasAuthorization({ authorization: undefined, Accept: 'x' })).toBe(false);
    expect(hasAuthorization(new AxiosHeaders({ Accept: 'application/json', 'X-Authorization': 'x', Authorizations: 'x' }))).toBe(false);
  });

  it('agrees with AxiosHeaders.has on every header set that AxiosHeaders itself builds', () => {
    for (const name of SPELLINGS) {
      for (const value of ['Bearer x', false, null, undefined, '']) {
        const headers = new AxiosHeaders({ Accept: 'application/json' }).set(name, value as string);
        expect(hasAuthorization(headers)).toBe(headers.has('Authorization'));
      }
    }
  });

  it('put leaves exactly one spelling, the one axios sends, and drops spellings that held undefined', () => {
    const headers = new AxiosHeaders({ Accept: 'application/json' });
    (headers as unknown as Record<string, unknown>).authorization = undefined;
    putAuthorization(headers, 'Bearer t');
    expect(Object.keys(headers).filter((name) => name.toLowerCase() === 'authorization')).toEqual(['Authorization']);
    expect(headers.get('Authorization')).toBe('Bearer t');
    expect(headers.toJSON()).toEqual({ Accept: 'application/json', Authorization: 'Bearer t' });
  });

  it('remove takes every spelling, from AxiosHeaders and plain objects, and nothing else', () => {
    const plain: Record<string, unknown> = { Accept: 'x', 'X-Authorization': 'keep' };
    for (const name of SPELLINGS) plain[name] = `Bearer ${name}`;
    removeAuthorization(plain);
    expect(plain).toEqual({ Accept: 'x', 'X-Authorization': 'keep' });

    const headers = new AxiosHeaders({ Accept: 'application/json' });
    putAuthorization(headers, 'Bearer t');
    removeAuthorization(headers);
    expect(headers.has('Authorization')).toBe(false);
    expect(headers.toJSON()).toEqual({ Accept: 'application/json' });
  });
});
