import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';
import { until } from './redis-cluster.js';

/**
 * One `redis-server` started for a test file on a free loopback port, with `args` (an ACL user,
 * TLS), no persistence, in a temporary directory; `stop()` ends exactly that process.
 */
export class RedisServerProcess {
  port = 0;
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'dintero-redis-'));

  /** `portFlag`: `--port`, or `--tls-port` (then the plain port is off). */
  async start(args: string[], portFlag: '--port' | '--tls-port' = '--port'): Promise<this> {
    this.port = await freePort();
    const ports = portFlag === '--port' ? ['--port', String(this.port)] : ['--port', '0', '--tls-port', String(this.port)];
    this.process = spawn(
      'redis-server',
      [
        ...ports,
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--logfile',
        join(this.dir, 'redis.log'),
        ...args,
      ],
      { stdio: 'ignore' },
    );
    await until(() => accepts(this.port), 'redis-server to listen');
    return this;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
