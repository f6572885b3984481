import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP forwarder on 127.0.0.1 in front of the fake Dintero that can hold requests until the
 * test releases them: a call that stays in flight exactly as long as the test wants.
 */
export class HoldingProxy {
  private readonly server: Server = createServer((req, res) => this.receive(req, res));
  private readonly waiting: (() => void)[] = [];
  private holding = false;

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The base URL to give the module: the fake's, through this proxy. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${new URL(this.target).pathname}`;
  }

  /** Requests being held now. */
  get held(): number {
    return this.waiting.length;
  }

  /** Holds every request from now on, until {@link release}. */
  hold(): void {
    this.holding = true;
  }

  /** Forwards the held requests, and every later one at once. */
  release(): void {
    this.holding = false;
    for (const forward of this.waiting.splice(0)) forward();
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const forward = () => {
        const upstream = request(
          new URL(req.url ?? '/', new URL(this.target).origin),
          { method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      };
      if (this.holding) this.waiting.push(forward);
      else forward();
    });
  }
}
