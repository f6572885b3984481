/** What to do to one API request instead of answering it normally; empty for nothing. */
export interface FakeApiFault {
  readonly redirect?: { readonly status: number; readonly location: string };
  /** An error answer in Dintero's shape, instead of the route's. */
  readonly error?: { readonly status: number; readonly code: string; readonly message: string };
  /** Drop the connection: before the request is processed (a lost request) or after (a lost answer). */
  readonly drop?: 'before' | 'after';
}

interface Queued {
  remaining: number;
}

/** Faults of the Checkout API side: redirects, injected error answers, dropped connections. */
export class FakeApiFaults {
  private readonly redirects = new Map<string, { status: number; location: string }>();
  private readonly errors: (Queued & { status: number; code: string; message: string })[] = [];
  private readonly drops: (Queued & { path: RegExp | undefined; when: 'before' | 'after' })[] = [];

  redirect(path: string, location: string, status: number): void {
    this.redirects.set(path, { status, location });
  }

  clearRedirects(): void {
    this.redirects.clear();
  }

  injectError(status: number, times: number, code: string, message: string): void {
    this.errors.push({ status, code, message, remaining: times });
  }

  drop(path: RegExp | undefined, times: number, when: 'before' | 'after'): void {
    this.drops.push({ path, when, remaining: times });
  }

  /** Forgets injected errors and drops; redirects stay until {@link clearRedirects}. */
  clear(): void {
    this.errors.length = 0;
    this.drops.length = 0;
  }

  /** The faults for a request to `path`, each used up as it is taken. */
  take(path: string): FakeApiFault {
    const redirect = this.redirects.get(path);
    if (redirect) return { redirect };
    const drop = use(this.drops, (entry) => !entry.path || entry.path.test(path));
    if (drop?.when === 'before') return { drop: 'before' };
    const error = use(this.errors, () => true);
    return {
      ...(error ? { error: { status: error.status, code: error.code, message: error.message } } : {}),
      ...(drop ? { drop: drop.when } : {}),
    };
  }
}

/** Takes one use of the first matching entry, removing it once used up. */
function use<T extends Queued>(queue: T[], matches: (entry: T) => boolean): T | undefined {
  const index = queue.findIndex(matches);
  const entry = queue[index];
  if (entry && --entry.remaining <= 0) queue.splice(index, 1);
  return entry;
}
