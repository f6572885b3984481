/** The `use`/`eject` pair of an axios interceptor manager. */
export interface AxiosInterceptorManagerLike {
  use(onFulfilled?: never, onRejected?: never): number;
  eject(id: number): void;
}

/**
 * What `DinteroAuthInterceptor.attach()` needs of an axios instance. Structural, and free of
 * axios' own types: a CommonJS app's `axios.create()` is typed by axios' `index.d.cts`, an ES
 * module's by its `index.d.ts`, and both fit.
 */
export interface AxiosInstanceLike {
  readonly interceptors: { readonly request: AxiosInterceptorManagerLike; readonly response: AxiosInterceptorManagerLike };
  request(config: never): Promise<unknown>;
}
