import type { IncomingMessage } from 'node:http';
import type { FakeApiRequest, FakeTokenRequest } from './fake-dintero.types.js';

/** A token request as recorded on arrival; its status is filled in once answered. */
export type FakeTokenRequestEntry = { -readonly [K in keyof FakeTokenRequest]: FakeTokenRequest[K] };

/** What the fake received: every request (unless told not to keep them), always counted. */
export class FakeRequestLog {
  readonly tokenRequests: FakeTokenRequest[] = [];
  readonly apiRequests: FakeApiRequest[] = [];
  tokenCount = 0;
  apiCount = 0;
  anonymousApiCount = 0;
  private readonly apiStatuses = new Map<number, number>();

  constructor(private readonly keep: boolean) {}

  /** Records a token request on arrival, so tests can see one that is still being answered. */
  token(req: IncomingMessage, path: string, body: string): FakeTokenRequestEntry {
    const entry: FakeTokenRequestEntry = {
      method: req.method ?? '',
      path,
      headers: { ...req.headers },
      body,
      status: undefined,
      receivedAt: Date.now(),
    };
    this.tokenCount += 1;
    if (this.keep) this.tokenRequests.push(entry);
    return entry;
  }

  api(req: IncomingMessage, path: string, body: string): void {
    this.apiCount += 1;
    if (req.headers.authorization === undefined) this.anonymousApiCount += 1;
    if (this.keep) this.apiRequests.push({ method: req.method ?? '', path, headers: { ...req.headers }, body, receivedAt: Date.now() });
  }

  apiAnswered(status: number): void {
    this.apiStatuses.set(status, (this.apiStatuses.get(status) ?? 0) + 1);
  }

  apiStatusCount(status: number): number {
    return this.apiStatuses.get(status) ?? 0;
  }

  reset(): void {
    this.tokenRequests.length = 0;
    this.apiRequests.length = 0;
    this.tokenCount = 0;
    this.apiCount = 0;
    this.anonymousApiCount = 0;
    this.apiStatuses.clear();
  }
}
