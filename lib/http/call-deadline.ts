import { Readable, finished } from 'node:stream';
import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { DeadlineQueue, QueuedDeadline } from './deadline-queue.js';

type Listener = (reason: unknown) => void;

/** The part of axios' `CancelToken` its adapters and `dispatchRequest` use. */
interface CancelTokenLike {
  readonly reason?: unknown;
  subscribe(listener: Listener): void;
  unsubscribe(listener: Listener): void;
  throwIfRequested(): void;
  toAbortSignal?(): AbortSignal;
}

/**
 * A cancel token that fires at the deadline, or with the app's own token. Cheaper than an
 * `AbortController` per call (which costs more than the rest of the attach point together).
 */
class DeadlineToken implements CancelTokenLike {
  reason: AxiosError | undefined;
  private listeners: Listener[] = [];
  // Only a call with a token of the app's own needs to hear from it.
  private readonly onAppCancel: Listener | undefined;

  constructor(private readonly appToken: CancelTokenLike | undefined) {
    if (!appToken) return;
    this.onAppCancel = (reason) => {
      this.reason ??= reason as AxiosError;
      for (const listener of this.listeners.splice(0)) listener(reason);
    };
    appToken.subscribe(this.onAppCancel);
  }

  cancel(reason: AxiosError): void {
    if (this.reason) return;
    this.reason = reason;
    for (const listener of this.listeners.splice(0)) listener(reason);
  }

  subscribe(listener: Listener): void {
    if (this.reason) listener(this.reason);
    else this.listeners.push(listener);
  }

  unsubscribe(listener: Listener): void {
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  throwIfRequested(): void {
    this.appToken?.throwIfRequested();
    if (this.reason) throw this.reason;
  }

  /** For the fetch adapter. */
  toAbortSignal(): AbortSignal {
    const controller = new AbortController();
    this.subscribe((reason) => controller.abort(reason));
    return controller.signal;
  }

  detach(): void {
    if (this.onAppCancel) this.appToken!.unsubscribe(this.onAppCancel);
  }
}

/**
 * A total deadline for one API call, resends included: headers and body, whatever the server
 * does. axios' own `timeout` only fires when the socket stays idle, so a server that trickles
 * a byte now and then would hold the call forever. A streamed body stays under the same
 * deadline until it ends. The error is axios' own timeout shape, so apps that check for it
 * keep working. The instance's {@link DeadlineQueue} keeps the time.
 */
export class CallDeadline implements QueuedDeadline {
  readonly dueAt: number;
  ended = false;
  private readonly token: DeadlineToken;
  private readonly appToken: CancelTokenLike | undefined;
  // Let go of once the call ends: the queue may list an ended deadline a while longer.
  private config: InternalAxiosRequestConfig | undefined;
  private body: Readable | undefined;

  constructor(
    config: InternalAxiosRequestConfig,
    private readonly queue: DeadlineQueue,
  ) {
    this.config = config;
    this.dueAt = queue.dueAtFromNow();
    this.appToken = config.cancelToken;
    this.token = new DeadlineToken(this.appToken);
    config.cancelToken = this.token as unknown as InternalAxiosRequestConfig['cancelToken'];
    queue.add(this);
  }

  /** An answer arrived: the deadline ends with it, or with its streamed body. */
  settle(response: AxiosResponse): AxiosResponse {
    const data: unknown = response.data;
    if (data instanceof Readable && !data.readableEnded) {
      this.body = data;
      finished(data, () => this.release());
    } else {
      this.release();
    }
    return response;
  }

  /** The call failed: the error to hand on, the timeout error if the deadline caused it. */
  fail(error: unknown): unknown {
    this.release();
    return this.token.reason && this.token.reason !== this.appToken?.reason ? this.token.reason : error;
  }

  /** The deadline is reached. */
  expire(): void {
    if (this.ended) return;
    const error = new AxiosError(
      `timeout of ${this.queue.deadlineMs}ms exceeded (total deadline of the call)`,
      AxiosError.ECONNABORTED,
      this.config,
    );
    // The body first: the adapter would fail it with a plain cancel error.
    this.body?.destroy(error);
    this.token.cancel(error);
  }

  private release(): void {
    if (this.ended) return;
    this.ended = true;
    this.token.detach();
    // A retry of the same config (axios-retry and the like) must not inherit a spent deadline.
    this.config!.cancelToken = this.appToken as InternalAxiosRequestConfig['cancelToken'];
    this.config = undefined;
    this.body = undefined;
    this.queue.ended();
  }
}
