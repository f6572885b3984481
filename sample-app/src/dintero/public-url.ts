/**
 * Where browsers and Dintero reach this app: `PUBLIC_URL`, by default `http://localhost:$PORT`,
 * without a trailing slash. The return and callback URLs are built from it, and the callback's
 * signature is checked against it rather than against a `Host` header.
 */
export function publicUrl(read: (name: string) => string | undefined): string {
  return (read('PUBLIC_URL') ?? `http://localhost:${read('PORT') ?? '3000'}`).replace(/\/+$/, '');
}
