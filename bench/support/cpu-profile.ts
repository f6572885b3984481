import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Session } from 'node:inspector/promises';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

/** V8's CPU profile, the format `node --cpu-prof` writes (and DevTools opens). */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Microseconds of self time per key, over the calls made while the profile ran. */
export type SelfTimes = Map<string, number>;

/**
 * V8's sampling profiler (the one behind `node --cpu-prof`), started and stopped around a
 * window of the process, so that start-up and warm-up stay out of the profile.
 */
export class WindowProfiler {
  private constructor(private readonly session: Session) {}

  static async open(intervalUs: number): Promise<WindowProfiler> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    return new WindowProfiler(session);
  }

  async record(run: () => Promise<void>): Promise<CpuProfile> {
    await this.session.post('Profiler.start');
    await run();
    const { profile } = await this.session.post('Profiler.stop');
    return profile as unknown as CpuProfile;
  }

  close(): void {
    this.session.disconnect();
  }
}

/** Saves a profile where DevTools (Performance panel, "Load profile") can open it. */
export function saveProfile(path: string, profile: CpuProfile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(profile));
}

/** A script's place, short: the package and path inside it, or Node's own module name. */
export function shortFile(url: string): string {
  if (url === '') return '(native)';
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) return url.slice(inModules + '/node_modules/'.length);
  const ours = /\/(dist|bench\/dist)\/(.*)$/.exec(url);
  if (ours) return ours[1] === 'dist' ? `nestjs-dintero-auth/${ours[2]}` : `bench/${ours[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** A function, by name and file: line numbers would split one function across builds. */
export function functionKey(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  return `${name} ${shortFile(frame.url)}`;
}

export function fileKey(frame: CallFrame): string {
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  return shortFile(frame.url);
}

/**
 * Self time of each key in µs per call: its share of the samples, times the CPU time the
 * process used per call while the profile ran. The samples are taken on wall time, and a
 * sample's time delta also holds whatever time the process spent descheduled (other
 * processes on a busy machine); the share of samples does not. Idle samples are left out.
 */
export function selfTimePerCall(profile: CpuProfile, cpuUsPerCall: number, keyOf: (frame: CallFrame) => string): SelfTimes {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const counts = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') continue;
    const key = keyOf(frame);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    busy += 1;
  }
  const times: SelfTimes = new Map();
  for (const [key, count] of counts) times.set(key, (count / busy) * cpuUsPerCall);
  return times;
}

/**
 * Time spent in `isOwn` code and in what it calls, in µs per call, by the innermost own
 * function on the stack; what runs under an `isBoundary` frame (the adapter our code hands the
 * request to) is not ours. Same scaling as {@link selfTimePerCall}.
 */
export function ownTimePerCall(
  profile: CpuProfile,
  cpuUsPerCall: number,
  isOwn: (frame: CallFrame) => boolean,
  isBoundary: (frame: CallFrame) => boolean,
  keyOf: (frame: CallFrame) => string,
): SelfTimes {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const counts = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    if (nodes.get(id)!.callFrame.functionName === '(idle)') continue;
    busy += 1;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = nodes.get(at)!.callFrame;
      if (isBoundary(frame)) break;
      if (!isOwn(frame)) continue;
      counts.set(keyOf(frame), (counts.get(keyOf(frame)) ?? 0) + 1);
      break;
    }
  }
  const times: SelfTimes = new Map();
  for (const [key, count] of counts) times.set(key, (count / busy) * cpuUsPerCall);
  return times;
}

/** Adds `more` into `into` (profiles of several windows, each already per call), scaled by `weight`. */
export function addTimes(into: SelfTimes, more: SelfTimes, weight = 1): SelfTimes {
  for (const [key, value] of more) into.set(key, (into.get(key) ?? 0) + value * weight);
  return into;
}

export function totalOf(times: SelfTimes): number {
  let total = 0;
  for (const value of times.values()) total += value;
  return total;
}

export interface TimeDiff {
  readonly key: string;
  readonly ours: number;
  readonly twin: number;
  readonly diff: number;
}

/** Keys whose self time differs most between two profiles, largest difference first. */
export function diffTimes(ours: SelfTimes, twin: SelfTimes, top: number): TimeDiff[] {
  const keys = new Set([...ours.keys(), ...twin.keys()]);
  return [...keys]
    .map((key) => ({ key, ours: ours.get(key) ?? 0, twin: twin.get(key) ?? 0, diff: (ours.get(key) ?? 0) - (twin.get(key) ?? 0) }))
    .sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff))
    .slice(0, top);
}
