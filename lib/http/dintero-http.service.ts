import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import axios, { type AxiosPromise, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { Observable } from 'rxjs';

/**
 * An `HttpService` for Dintero's Checkout API: `get`, `post`, `put`, `delete`, `request` and
 * `axiosRef`, over an axios instance of this module's own, with `baseURL` set to the configured
 * base URL, `Dintero-System-*` headers, and the bearer token attached by
 * `DinteroAuthInterceptor`. The app's own `HttpService` and the global axios stay untouched.
 */
@Injectable()
export class DinteroHttpService extends HttpService {
  /**
   * As `HttpService` does it: one call per subscription, with a cancel token (unless the config
   * brings one) that cancels the call when the subscriber leaves before the answer, except for
   * a streamed answer. `HttpService` also cancels a call that has already settled, when its
   * subscription ends after the answer: axios then builds a `CanceledError` and its stack trace
   * for nothing, the largest single cost of an Observable call (about 12 µs). Here a settled
   * call is left alone.
   * @internal
   */
  protected override makeObservable<T>(send: (...args: unknown[]) => AxiosPromise<T>, ...args: unknown[]): Observable<AxiosResponse<T>> {
    return new Observable<AxiosResponse<T>>((subscriber) => {
      // The config comes last (`get(url, config)`, `post(url, data, config)`, `request(config)`);
      // a copy, so that the caller's object never gets the cancel token.
      const last = args.length - 1;
      const config: AxiosRequestConfig = { ...(args[last] as AxiosRequestConfig | undefined) };
      const source = config.cancelToken ? undefined : axios.CancelToken.source();
      if (source) config.cancelToken = source.token;
      let settled = false;
      // As HttpService: what the subscriber throws on the answer goes to its error handler.
      send(...args.slice(0, last), config)
        .then((response) => {
          settled = true;
          subscriber.next(response);
          subscriber.complete();
        })
        .catch((error: unknown) => {
          settled = true;
          subscriber.error(error);
        });
      return () => {
        if (!settled && source && config.responseType !== 'stream') source.cancel();
      };
    });
  }
}
