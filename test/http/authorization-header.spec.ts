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

  it.each(SPELLINGS)('put beside a %s that holds undefined: the token goes out once, and is removed wherever it went', (name) => {
    const headers = new AxiosHeaders({ Accept: 'application/json' });
    (headers as unknown as Record<string, unknown>)[name] = undefined;
    putAuthorization(headers, 'Bearer t');
    expect(hasAuthorization(headers)).toBe(true);
    // What the http, fetch and xhr adapters send: the spellings merged, as normalize() does in place.
    const sent = Object.entries(headers.normalize(false).toJSON()).filter(([key]) => key.toLowerCase() === 'authorization');
    expect(sent).toEqual([[expect.any(String), 'Bearer t']]);
    removeAuthorization(headers, 'Bearer t');
    expect(hasAuthorization(headers)).toBe(false);
    expect(JSON.stringify(headers)).not.toContain('Bearer t');
  });

  it('remove with the value put: cleared in place, no header to axios or JSON; a second pass finds nothing to do', () => {
    const headers = new AxiosHeaders({ Accept: 'application/json' });
    putAuthorization(headers, 'Bearer t');
    removeAuthorization(headers, 'Bearer t');
    expect(headers.has('Authorization')).toBe(false);
    expect(headers.toJSON()).toEqual({ Accept: 'application/json' });
    expect(JSON.stringify(headers)).toBe('{"Accept":"application/json"}');
    removeAuthorization(headers, 'Bearer t');
    expect(headers.toJSON()).toEqual({ Accept: 'application/json' });
  });

  it('remove with a value that is not the one found (a resend, an adapter that renamed it): every spelling with a value goes', () => {
    const headers = new AxiosHeaders({ Accept: 'application/json', authorization: 'Bearer other' });
    removeAuthorization(headers, 'Bearer t');
    expect(Object.keys(headers)).toEqual(['Accept']);
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
