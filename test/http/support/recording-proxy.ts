import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A forward proxy on 127.0.0.1 that records every byte it receives in clear text. A `CONNECT`
 * is tunnelled to its target (what follows is TLS, opaque); any other request is answered 502.
 */
export class RecordingProxy {
  /** What arrived, one entry per connection, read as latin1. */
  readonly connections: string[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((client) => this.accept(client));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Everything received, all connections together. */
  get clearText(): string {
    return this.connections.join('\n');
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private accept(client: Socket): void {
    this.track(client);
    const index = this.connections.push('') - 1;
    let tunnelled = false;
    client.on('data', (chunk: Buffer) => {
      this.connections[index] += chunk.toString('latin1');
      if (tunnelled) return;
      const head = this.connections[index]!;
      if (!head.includes('\r\n\r\n')) return;
      const connectTo = /^CONNECT ([^\s:]+):(\d+) /.exec(head);
      if (!connectTo) {
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      tunnelled = true;
      const upstream = connect(Number(connectTo[2]), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        client.on('data', (data: Buffer) => upstream.write(data));
        upstream.pipe(client);
      });
      this.track(upstream);
    });
  }
}
