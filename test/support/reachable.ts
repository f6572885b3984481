/**
 * What a reflective error reporter finds: a walk over every own key (string and symbol,
 * enumerable or not) of an object graph, getters read as a reporter reading `obj[key]` would,
 * Map and Set entries, and the bytes of buffers. Paths that hold one of the needles are returned.
 */
export interface ReachableHit {
  readonly path: string;
  readonly needle: string;
}

const MAX_NODES = 500_000;

function keyText(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${String(key)}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Buffer.isBuffer(value)) return [value.toString('latin1')];
  if (ArrayBuffer.isView(value)) return [Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1')];
  if (value instanceof ArrayBuffer) return [Buffer.from(value).toString('latin1')];
  return [];
}

/** Every path from `root` to a string or buffer that contains a needle; walks at most 500,000 objects. */
export function findReachable(root: unknown, needles: readonly string[]): ReachableHit[] {
  const hits: ReachableHit[] = [];
  const seen = new Set<unknown>();
  const queue: [unknown, string][] = [[root, '$']];
  for (let at = 0; at < queue.length && seen.size < MAX_NODES; at += 1) {
    const [value, path] = queue[at]!;
    for (const text of textsOf(value)) for (const needle of needles) if (text.includes(needle)) hits.push({ path, needle });
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    seen.add(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) continue;
    if (value instanceof Map) for (const [key, entry] of value) queue.push([key, `${path}<key>`], [entry, `${path}.get()`]);
    if (value instanceof Set) for (const entry of value) queue.push([entry, `${path}<entry>`]);
    let keys: (string | symbol)[];
    try {
      keys = Reflect.ownKeys(value);
    } catch {
      continue;
    }
    for (const key of keys) {
      let child: unknown;
      try {
        const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
        child = descriptor && 'value' in descriptor ? descriptor.value : descriptor?.get?.call(value);
      } catch {
        continue;
      }
      queue.push([child, `${path}${keyText(key)}`]);
    }
    // The prototype's own keys too, but not the built-in prototypes everyone shares.
    const proto: unknown = Reflect.getPrototypeOf(value);
    if (proto && proto !== Object.prototype && proto !== Function.prototype) queue.push([proto, `${path}.__proto__`]);
  }
  return hits;
}
