import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { inspect } from 'node:util';

// Idle keep-alive sockets are closed before a load balancer would drop them under a request.
const IDLE_SOCKET_MS = 30_000;

// An agent's sockets lead to the raw head (with the token) of every request in flight on it,
// and a response's config holds its agent: these print as a name and nothing more.
class OwnHttpAgent extends HttpAgent {
  toJSON(): string {
    return '[nestjs-dintero-auth http agent]';
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}

class OwnHttpsAgent extends HttpsAgent {
  toJSON(): string {
    return '[nestjs-dintero-auth https agent]';
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}

/**
 * The module's own connection pools for requests that carry the token. On Node's global agent,
 * any request's `request.agent.sockets` (printed with an unrelated error) would reach the raw
 * head of an in-flight Dintero request. Keep-alive: API calls reuse their connections.
 */
export class DinteroAgents {
  readonly http: HttpAgent;
  readonly https: HttpAgent;
  private readonly owned: HttpAgent[];

  /** `httpsAgent`: one the app gave in the options; it stays the app's to close. */
  constructor(httpsAgent: HttpAgent | undefined) {
    const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
    this.http = new OwnHttpAgent(options);
    this.https = httpsAgent ?? new OwnHttpsAgent(options);
    this.owned = httpsAgent ? [this.http] : [this.http, this.https];
  }

  /** Closes every socket of the agents this module created. */
  close(): void {
    for (const agent of this.owned) agent.destroy();
  }
}
