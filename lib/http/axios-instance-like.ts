/**
 * What `DinteroAuthInterceptor.attach()` needs of an axios instance: its defaults, whose adapter
 * it wraps. Structural, and free of axios' own types: a CommonJS app's `axios.create()` is typed
 * by axios' `index.d.cts`, an ES module's by its `index.d.ts`, and both fit.
 */
export interface AxiosInstanceLike {
  readonly defaults: { adapter?: unknown };
  request(config: never): Promise<unknown>;
}
