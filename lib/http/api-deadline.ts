import { Readable, finished } from 'node:stream';
import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { Clock } from '../token/clock.js';

/** The error of a call that ran past its deadline: axios' own timeout shape, so apps that check for it keep working. */
function timeoutError(deadlineMs: number, config: InternalAxiosRequestConfig): AxiosError {
  return new AxiosError(`timeout of ${deadlineMs}ms exceeded (total deadline of the call)`, AxiosError.ECONNABORTED, config);
}

/**
 * Runs `send` (one API call, resends included) under a total deadline: headers and body,
 * whatever the server does. axios' own `timeout` only fires when the socket stays idle, so a
 * server that trickles a byte now and then would hold the call forever. A streamed body stays
 * under the same deadline until it ends.
 */
export function withDeadline(
  config: InternalAxiosRequestConfig,
  clock: Clock,
  deadlineMs: number,
  send: () => Promise<AxiosResponse>,
): Promise<AxiosResponse> {
  const controller = new AbortController();
  const upstream = config.signal;
  const forward = () => controller.abort();
  if (upstream?.aborted) controller.abort();
  else upstream?.addEventListener?.('abort', forward);
  config.signal = controller.signal;

  let expired = false;
  let body: Readable | undefined;
  const timer = clock.setTimer(() => {
    expired = true;
    // The body first: aborting would fail it with a plain cancel error.
    body?.destroy(timeoutError(deadlineMs, config));
    controller.abort();
  }, deadlineMs);
  const release = () => {
    clock.clearTimer(timer);
    upstream?.removeEventListener?.('abort', forward);
    // axios turns any error of a call whose signal is aborted into a cancel error: give its own back.
    config.signal = upstream;
  };

  return send().then(
    (response) => {
      if (response.data instanceof Readable && !response.data.readableEnded) {
        body = response.data;
        finished(body, release);
      } else {
        release();
      }
      return response;
    },
    (error: unknown) => {
      release();
      throw expired ? timeoutError(deadlineMs, config) : error;
    },
  );
}
