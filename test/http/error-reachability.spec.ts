/**
 * No path from an error (or an answer) to a token or the client secret, at any depth: a walk
 * over every own key, as a reflective error reporter does, from the errors of Dintero calls and
 * of other calls made while a Dintero call is in flight, on the module's instance and on an
 * app's instance the token is attached to. `inspect` and JSON stop at the agents' names; a walk
 * does not (an agent's sockets lead to the raw head of the request they carry or carried last).
 */
import { Agent as HttpAgent } from 'node:http';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroTokenRequestError } from '../../lib/index.js';
import { findReachable } from '../support/reachable.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';
import { LoopbackApi } from './support/loopback-api.js';

let fake: FakeDinteroServer;
/** An allowed origin that can hold a call in flight. */
let api: LoopbackApi;
/** Not Dintero. */
let foreign: LoopbackApi;
let app: TokenApp | undefined;
const appAgents: HttpAgent[] = [];

beforeAll(async () => {
  fake = await startFake();
  api = await new LoopbackApi().start();
  foreign = await new LoopbackApi().start();
  api.on('/v1/hold', { type: 'hold' }).on('/v1/missing', { type: 'status', status: 404 });
  foreign.on('/broken', { type: 'status', status: 500 });
});
afterEach(async () => {
  api.release();
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
  for (const agent of appAgents.splice(0)) agent.destroy();
});
afterAll(async () => {
  await Promise.all([fake.stop(), api.stop(), foreign.stop()]);
});

async function start(...moreOrigins: string[]): Promise<{ app: TokenApp; token: string }> {
  app = await startTokenApp(fakeOptions(fake, { apiOrigins: [api.origin(), ...moreOrigins] }));
  return { app, token: (await app.tokens.getToken()).accessToken };
}

const SECRET = FAKE_DINTERO_CLIENT.clientSecret;
// The token request's Basic header carries the secret in base64.
const BASIC = Buffer.from(`${FAKE_DINTERO_CLIENT.clientId}:${SECRET}`).toString('base64');

/** The paths from `root` to a token or the secret, shortened to the first few. */
function leaks(root: unknown, token: string): string[] {
  return findReachable(root, [token, SECRET, BASIC])
    .map((hit) => hit.path)
    .slice(0, 3);
}

/** An app's own instance with the token attached, on an agent of the app's own. */
function appInstance(target: TokenApp): AxiosInstance {
  const agent = new HttpAgent({ keepAlive: true });
  appAgents.push(agent);
  const instance = axios.create({ httpAgent: agent });
  target.interceptor.attach(instance);
  return instance;
}

describe('no path from an error or an answer to a token', () => {
  it('the error and the answer of a Dintero call, after calls that left idle keep-alive sockets', async () => {
    const { app, token } = await start();
    for (let call = 0; call < 3; call += 1) await app.http.axiosRef.get(`${api.origin()}/v1/ok`);
    const answer = await app.http.axiosRef.get(`${api.origin()}/v1/ok`);
    const error: unknown = await app.http.axiosRef.get(`${api.origin()}/v1/missing`).catch((failure: unknown) => failure);
    expect(axios.isAxiosError(error) && error.response?.status).toBe(404);
    expect(leaks(error, token)).toEqual([]);
    expect(leaks(answer, token)).toEqual([]);
  });

  it('the error of a non-Dintero call on the module instance while a Dintero call is in flight', async () => {
    const { app, token } = await start();
    const held = app.http.axiosRef.get(`${api.origin()}/v1/hold`);
    held.catch(() => undefined);
    await eventually(() => api.heldCount === 1, 5_000, 'the Dintero call, held');
    const error: unknown = await app.http.axiosRef.get(`${foreign.origin()}/broken`).catch((failure: unknown) => failure);
    expect(axios.isAxiosError(error) && error.response?.status).toBe(500);
    expect(leaks(error, token)).toEqual([]);
    api.release();
    await held;
  });

  it("the error of a non-Dintero call on an app's attached instance while a Dintero call is in flight on it", async () => {
    const { app, token } = await start();
    const instance = appInstance(app);
    const held = instance.get(`${api.origin()}/v1/hold`);
    held.catch(() => undefined);
    await eventually(() => api.heldCount === 1, 5_000, 'the Dintero call, held');
    const error: unknown = await instance.get(`${foreign.origin()}/broken`).catch((failure: unknown) => failure);
    expect(axios.isAxiosError(error) && error.response?.status).toBe(500);
    expect(leaks(error, token)).toEqual([]);
    api.release();
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(leaks(answer, token)).toEqual([]);
  });

  it('the error of a Dintero call cut off mid-flight, while another is in flight', async () => {
    const doomed = await new LoopbackApi().start();
    doomed.on('/v1/hold', { type: 'hold' });
    const { app, token } = await start(doomed.origin());
    const calls = [0, 1].map(() => app.http.axiosRef.get(`${doomed.origin()}/v1/hold`).catch((failure: unknown) => failure));
    await eventually(() => doomed.heldCount === 2, 5_000, 'both calls, held');
    // The server goes away under both calls: network errors, no answer.
    await doomed.stop();
    for (const error of await Promise.all(calls)) {
      expect(axios.isAxiosError(error) && error.code).toBe('ECONNRESET');
      expect(leaks(error, token)).toEqual([]);
    }
  });

  it('the error of a refused token request holds neither the secret nor its Basic header', async () => {
    const { app, token } = await start();
    fake.injectTokenFault({ type: 'status', status: 401 }, 1);
    const error = await app.tokens.refresh().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(DinteroTokenRequestError);
    expect(leaks(error, token)).toEqual([]);
  });
});
