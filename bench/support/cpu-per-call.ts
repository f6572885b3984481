import { performance } from 'node:perf_hooks';

export type Call = () => Promise<unknown>;

/** What a run of calls cost the client process. */
export interface CallCost {
  /** CPU time of this process (user + system) per call, in microseconds. */
  readonly cpuUs: number;
  /** Calls per second of wall time. */
  readonly perSecond: number;
  readonly seconds: number;
}

/**
 * Makes `count` calls, at most `concurrency` at a time, and reads the process' CPU time around
 * them. CPU time counts only this process's work: the server runs in another, and time spent
 * waiting for it or for the other processes of a busy machine is not counted, where requests
 * per second count both.
 */
export async function measureCalls(call: Call, count: number, concurrency: number): Promise<CallCost> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next += 1;
        await call();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / count, perSecond: count / seconds, seconds };
}
