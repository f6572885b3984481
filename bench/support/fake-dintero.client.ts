import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FAKE_DINTERO_CLIENT } from 'nestjs-dintero-auth/testing';
import type { FakeCommand } from './fake-dintero.process.js';

type Command = FakeCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export interface FakeCounts {
  tokenRequests: number;
  apiRequests: number;
  api401: number;
}

/** Starts the fake Dintero in a child process and talks to it. */
export class FakeDinteroProcess {
  readonly client = FAKE_DINTERO_CLIENT;
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.on('message', (message: { id?: number; value?: unknown }) => {
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message.value);
      this.pending.delete(message.id);
    });
  }

  static async start(): Promise<FakeDinteroProcess> {
    const child = fork(fileURLToPath(new URL('./fake-dintero.process.js', import.meta.url)), { stdio: 'inherit' });
    const baseUrl = await new Promise<string>((resolve) =>
      child.once('message', (message: { baseUrl: string }) => resolve(message.baseUrl)),
    );
    return new FakeDinteroProcess(child, baseUrl);
  }

  send<T>(command: Command): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (value: unknown) => void);
      this.child.send({ ...command, id });
    });
  }

  counts(): Promise<FakeCounts> {
    return this.send<FakeCounts>({ cmd: 'counts' });
  }

  async stop(): Promise<void> {
    await this.send({ cmd: 'stop' });
  }
}
