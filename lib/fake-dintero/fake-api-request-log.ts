import type { IncomingMessage } from 'node:http';

/** One API request the fake received (any route other than the token endpoint). */
export interface FakeApiRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly receivedAt: number;
}

/** What the fake's Checkout API received: every request (unless told not to keep them), always counted. */
export class FakeApiRequestLog {
  readonly requests: FakeApiRequest[] = [];
  count = 0;
  anonymousCount = 0;
  private readonly statuses = new Map<number, number>();

  constructor(private readonly keep: boolean) {}

  received(req: IncomingMessage, path: string, body: string): void {
    this.count += 1;
    if (req.headers.authorization === undefined) this.anonymousCount += 1;
    if (this.keep) this.requests.push({ method: req.method ?? '', path, headers: { ...req.headers }, body, receivedAt: Date.now() });
  }

  answered(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  statusCount(status: number): number {
    return this.statuses.get(status) ?? 0;
  }

  reset(): void {
    this.requests.length = 0;
    this.count = 0;
    this.anonymousCount = 0;
    this.statuses.clear();
  }
}
