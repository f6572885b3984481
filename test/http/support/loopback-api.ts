import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

/** The self-signed certificate of {@link LoopbackApi} over https: localhost, api.localhost, *.api.localhost, 127.0.0.1. */
export const LOOPBACK_CA = fixture('loopback-cert.pem');

/** Resolves every host name to 127.0.0.1, so that `api.localhost` and `evil.api.localhost` reach the loopback server. */
export function loopbackLookup(
  _hostname: string,
  options: { all?: boolean },
  callback: (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void,
): void {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}

export interface ReceivedRequest {
  readonly host: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

/** What the server does with a request to a path; by default it answers 200 with a small JSON body. */
export type Behaviour =
  | { readonly type: 'redirect'; readonly location: string; readonly status?: number }
  | { readonly type: 'status'; readonly status: number }
  /** Headers at once, then one byte every `everyMs`, `bytes` times. */
  | { readonly type: 'trickle'; readonly everyMs: number; readonly bytes: number }
  /** No answer until `release()`. */
  | { readonly type: 'hold' };

/**
 * A server on 127.0.0.1 (http, or https with the loopback certificate) that records who asked
 * what, with which `Authorization`, and answers as told per `host + path`.
 */
export class LoopbackApi {
  readonly received: ReceivedRequest[] = [];
  /** Bytes a trickling answer has written so far. */
  trickled = 0;
  /** Connections closed while a trickling answer was still being written. */
  cutOff = 0;
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly held: ServerResponse[] = [];
  private readonly server: Server;

  constructor(readonly protocol: 'http' | 'https' = 'http') {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server =
      protocol === 'https' ? createTlsServer({ cert: LOOPBACK_CA, key: fixture('loopback-key.pem') }, handler) : createServer(handler);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `protocol://host:port`, host 127.0.0.1 unless given. */
  origin(host = '127.0.0.1'): string {
    return `${this.protocol}://${host}:${this.port}`;
  }

  /** Sets what happens to requests for `path` on `host` (any host when omitted). */
  on(path: string, behaviour: Behaviour, host = '*'): this {
    this.behaviours.set(`${host} ${path}`, behaviour);
    return this;
  }

  /** Answers every held request. */
  release(): void {
    for (const res of this.held.splice(0)) this.answer(res, 200);
  }

  get heldCount(): number {
    return this.held.length;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = req.url ?? '';
    this.received.push({ host, path, authorization: req.headers.authorization });
    req.resume();
    const behaviour = this.behaviours.get(`${host} ${path}`) ?? this.behaviours.get(`* ${path}`);
    switch (behaviour?.type) {
      case 'redirect':
        res.writeHead(behaviour.status ?? 302, { Location: behaviour.location }).end();
        return;
      case 'status':
        this.answer(res, behaviour.status);
        return;
      case 'hold':
        this.held.push(res);
        return;
      case 'trickle':
        this.trickle(res, behaviour.everyMs, behaviour.bytes);
        return;
      default:
        this.answer(res, 200);
    }
  }

  private answer(res: ServerResponse, status: number): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  }

  private trickle(res: ServerResponse, everyMs: number, bytes: number): void {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.flushHeaders();
    let left = bytes;
    const timer = setInterval(() => {
      res.write('.');
      this.trickled += 1;
      if (--left === 0) {
        clearInterval(timer);
        res.end();
      }
    }, everyMs);
    res.on('close', () => {
      if (left > 0) this.cutOff += 1;
      clearInterval(timer);
    });
  }
}
