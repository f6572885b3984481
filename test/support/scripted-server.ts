import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a {@link ScriptedServer} does with one request (its body already read). */
export type Script = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * A server on 127.0.0.1 that answers as its current script says: a token endpoint that
 * misbehaves in ways the fake does not (trickles, inflates, echoes what it was sent), or a
 * merchant's callback route.
 */
export class ScriptedServer {
  requests = 0;
  private readonly server: Server;

  constructor(private script: Script) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests += 1;
        this.script(req, res, Buffer.concat(chunks).toString('utf8'));
      });
    });
  }

  /** Answers from now on as `script` says. */
  play(script: Script): void {
    this.script = script;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** `http://127.0.0.1:{port}`. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The base URL to configure: `http://127.0.0.1:{port}/v1`. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** A well-formed token answer. */
export function grantScript(accessToken = 'eyJ.scripted.token', expiresIn = 3600): Script {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn }));
  };
}
