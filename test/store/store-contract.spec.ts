import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type DinteroTokenStore, MemoryTokenStore } from '../../lib/index.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { REDIS_URL } from '../support/redis.js';
import { eventually } from '../support/token-app.js';

// What every token store does, as SharedTokenSource relies on it: the one in memory, and the
// one on Redis (watched from a second connection, as another replica would be).

interface Subject {
  readonly name: string;
  readonly skip: boolean;
  /** A store, and a second view of the same data (another replica's connection). */
  open(): { store: DinteroTokenStore; other: DinteroTokenStore };
}

const opened: RedisTokenStore[] = [];
const subjects: Subject[] = [
  {
    name: 'MemoryTokenStore',
    skip: false,
    open: () => {
      const store = new MemoryTokenStore();
      return { store, other: store };
    },
  },
  {
    name: 'RedisTokenStore',
    skip: !REDIS_URL,
    open: () => {
      const [store, other] = [new RedisTokenStore({ url: REDIS_URL! }), new RedisTokenStore({ url: REDIS_URL! })];
      opened.push(store, other);
      return { store, other };
    },
  },
];

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
});

describe.each(subjects)('$name', ({ skip, open }) => {
  const key = () => `dintero-auth:{contract-${randomUUID()}}`;

  it.skipIf(skip)('gives back what was set, until a newer value replaces it or its time runs out', async () => {
    const { store, other } = open();
    const [k, short] = [key(), key()];
    expect(await store.get(k)).toBeUndefined();
    await store.set(k, 'one', 60_000);
    expect(await other.get(k)).toBe('one');
    await other.set(k, 'two', 60_000);
    expect(await store.get(k)).toBe('two');

    await store.set(short, 'brief', 20);
    await eventually(async () => (await store.get(short)) === undefined, 5_000, 'the value to expire');
  });

  it.skipIf(skip)('tells every watcher of a key each time it is set, and nobody after they stop', async () => {
    const { store, other } = open();
    const [k, unrelated] = [key(), key()];
    const told = { first: 0, second: 0, unrelated: 0 };
    // Both stores can tell when a value lands: neither answers undefined.
    const watch = async (watched: string, listener: () => void) => {
      const stop = await store.watch(watched, listener);
      expect(stop).toEqual(expect.any(Function));
      return stop!;
    };
    const stopFirst = await watch(k, () => (told.first += 1));
    const stopSecond = await watch(k, () => (told.second += 1));
    const stopUnrelated = await watch(unrelated, () => (told.unrelated += 1));

    await other.set(k, 'one', 60_000);
    await eventually(() => told.first === 1 && told.second === 1, 5_000, 'both watchers');
    stopFirst();
    await other.set(k, 'two', 60_000);
    await eventually(() => told.second === 2, 5_000, 'the remaining watcher');
    stopSecond();
    // Set after stopping, then a key still watched: once that is told, a late call would be in.
    await other.set(k, 'three', 60_000);
    await other.set(unrelated, 'x', 60_000);
    await eventually(() => told.unrelated === 1, 5_000, 'the unrelated watcher');
    expect(told).toEqual({ first: 1, second: 2, unrelated: 1 });
    stopUnrelated();
  });

  it.skipIf(skip)('hands a lease to one holder at a time, counting generations, freed by its holder only', async () => {
    const { store, other } = open();
    const k = key();
    const first = await store.acquireLease(k, 60_000);
    expect(first?.generation).toBe(1);
    expect(await other.acquireLease(k, 60_000)).toBeUndefined();
    expect(await first!.extend(60_000)).toBe(true);
    await first!.release();

    const second = await other.acquireLease(k, 60_000);
    expect(second?.generation).toBe(2);
    // The first holder's lease is gone: it can neither free nor extend the second's.
    await first!.release();
    expect(await first!.extend(60_000)).toBe(false);
    expect(await store.acquireLease(k, 60_000)).toBeUndefined();
    await second!.release();
    expect(await store.acquireLease(k, 60_000)).toMatchObject({ generation: 3 });
  });

  it.skipIf(skip)('does not trust a lease with more time left than maxHeldMs: it is taken over, and its holder loses it', async () => {
    const { store, other } = open();
    const k = key();
    const foreign = await store.acquireLease(k, 600_000);
    expect(await other.acquireLease(k, 15_000, 600_000)).toBeUndefined();
    const taken = await other.acquireLease(k, 15_000, 60_000);
    expect(taken).toMatchObject({ generation: 2 });
    expect(await foreign!.extend(600_000)).toBe(false);
    // The new lease is within the longest time: trusted.
    expect(await store.acquireLease(k, 15_000, 60_000)).toBeUndefined();
    await taken!.release();
  });

  it.skipIf(skip)('frees a lease whose holder is gone once its time runs out', async () => {
    const { store, other } = open();
    const k = key();
    expect(await store.acquireLease(k, 20)).toBeDefined();
    await eventually(async () => (await other.acquireLease(k, 60_000)) !== undefined, 5_000, 'the lease to expire');
  });

  it.skipIf(skip)('raises a number and never lowers it', async () => {
    const { store, other } = open();
    const k = key();
    await store.raise(k, 5, 60_000);
    expect(await other.get(k)).toBe('5');
    await other.raise(k, 3, 60_000);
    expect(await store.get(k)).toBe('5');
    await store.raise(k, 7, 60_000);
    expect(await other.get(k)).toBe('7');
  });

  it.skipIf(skip)('claims a key once: of 20 claims at once from two clients exactly one stores, the others see its value', async () => {
    const { store, other } = open();
    const k = key();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? other : store).claim(k, `claim-${n}`, 60_000)));
    const winners = answers.flatMap((answer, n) => (answer === undefined ? [`claim-${n}`] : []));
    expect(winners).toHaveLength(1);
    expect(new Set(answers.filter((answer) => answer !== undefined))).toEqual(new Set(winners));
    expect(await other.get(k)).toBe(winners[0]);
    // A value set over a claim is what the next claim sees.
    await store.set(k, 'done', 60_000);
    expect(await other.claim(k, 'again', 60_000)).toBe('done');
  });

  it.skipIf(skip)('a claim lapses at its time, and then the key can be claimed again', async () => {
    const { store, other } = open();
    const k = key();
    expect(await store.claim(k, 'first', 20)).toBeUndefined();
    await eventually(async () => (await other.claim(k, 'second', 60_000)) === undefined, 5_000, 'the claim to lapse');
    expect(await store.get(k)).toBe('second');
  });
});

describe('MemoryTokenStore time', () => {
  it('keeps a value, a lease and a floor for exactly their time, on the clock it is given', async () => {
    const clock = new ManualClock();
    const store = new MemoryTokenStore(clock);
    await store.set('token', 'value', 1_000);
    const lease = await store.acquireLease('lease', 1_000);
    await store.raise('floor', 4, 1_000);
    expect(await store.claim('claim', 'x', 1_000)).toBeUndefined();
    clock.advance(999);
    expect(await store.claim('claim', 'y', 1_000)).toBe('x');
    expect(await store.get('token')).toBe('value');
    expect(await store.get('floor')).toBe('4');
    expect(await store.acquireLease('lease', 1_000)).toBeUndefined();
    expect(await lease!.extend(2_000)).toBe(true);

    clock.advance(1);
    expect(await store.get('token')).toBeUndefined();
    expect(await store.get('floor')).toBeUndefined();
    expect(await store.claim('claim', 'y', 1_000)).toBeUndefined();
    // The extended lease runs 2 s from its extension.
    clock.advance(1_998);
    expect(await store.acquireLease('lease', 1_000)).toBeUndefined();
    clock.advance(1);
    expect(await lease!.extend(1_000)).toBe(false);
    expect(await store.acquireLease('lease', 1_000)).toBeDefined();
  });
});
