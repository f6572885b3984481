import { performance } from 'node:perf_hooks';

/** One side of a comparison: `run` does the operation `count` times; `prepare` makes its inputs, untimed. */
export interface Side {
  prepare?(count: number): void;
  run(count: number): void | Promise<void>;
}

/** Microseconds per operation over one batch. */
export interface PerOp {
  wallUs: number;
  /** Of this process, all threads (GC included): unlike wall time, not inflated when the machine is busy. */
  cpuUs: number;
}

/** Times one batch of `count` operations: wall and CPU time per operation. */
export async function timeBatch(side: Side, count: number): Promise<PerOp> {
  side.prepare?.(count);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await side.run(count);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallUs: (wallMs * 1000) / count, cpuUs: (cpu.user + cpu.system) / count };
}

/** Runs `side` for about `ms` (JIT, connections), then answers how many operations make a batch of about `batchMs`. */
export async function warmUp(side: Side, ms: number, batchMs: number): Promise<number> {
  let count = 8;
  let spentMs = 0;
  let last: PerOp;
  do {
    last = await timeBatch(side, count);
    const batchWallMs = (last.wallUs * count) / 1000;
    spentMs += batchWallMs;
    if (batchWallMs < batchMs) count *= 2;
  } while (spentMs < ms);
  return Math.max(1, Math.round((batchMs * 1000) / last.wallUs));
}
