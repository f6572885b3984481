import { DinteroSignatureError } from '../errors/dintero-signature.error.js';

/**
 * A request as Node, Express and Fastify hand it over: `url` is the path and query as received,
 * header names are lower-case, and `rawBody` holds the exact bytes of the body (Nest keeps them
 * with `NestFactory.create(AppModule, { rawBody: true })`).
 */
export interface DinteroInboundRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly rawBody?: Buffer | undefined;
}

/** Longer signature headers are refused unread: Dintero's are under 100 characters. */
export const MAX_SIGNATURE_HEADER_LENGTH = 1024;

/** The one value of header `name`; `undefined` when absent, refused when repeated or too long. */
export function readHeader(request: DinteroInboundRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw refused('malformed', `the ${name} header is given more than once`);
  if (value.length > MAX_SIGNATURE_HEADER_LENGTH)
    throw refused('malformed', `the ${name} header is longer than ${MAX_SIGNATURE_HEADER_LENGTH} characters`);
  return value;
}

/** The error for a refused request; `why` never holds a secret or a computed signature. */
export function refused(reason: DinteroSignatureError['reason'], why: string): DinteroSignatureError {
  return new DinteroSignatureError(`Not a verified Dintero request (${reason}): ${why}`, { reason });
}

/** The secrets to try, current first; none is a configuration problem, refused like a bad signature. */
export function readSecrets(secrets: readonly string[] | undefined, what: string): readonly string[] {
  const usable = (secrets ?? []).filter((secret) => typeof secret === 'string' && secret.length > 0);
  if (usable.length === 0) throw refused('unconfigured', `no ${what} secret is configured`);
  return usable;
}
