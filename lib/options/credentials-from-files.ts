import { readFile, stat } from 'node:fs/promises';
import type { DinteroClientCredentials, DinteroCredentialsProvider } from './dintero-credentials.js';

/** Paths of the files that hold a client id and secret, e.g. a mounted Kubernetes secret. */
export interface DinteroCredentialFiles {
  /** File holding the client id. */
  readonly clientId: string;
  /** File holding the client secret. */
  readonly clientSecret: string;
}

/**
 * A `credentials` provider over two files, such as a mounted Kubernetes secret: read at the
 * first call, then again whenever either file changed. Changes are seen by `stat` on each call
 * (following symlinks), not by a watcher: Kubernetes updates a mounted secret by swapping a
 * symlink to a new directory, which file watchers miss. Surrounding white space (a trailing
 * newline) is dropped.
 *
 * ```ts
 * DinteroAuthModule.forRoot({
 *   accountId: 'T12345678',
 *   credentials: dinteroCredentialsFromFiles({ clientId: '/var/run/secrets/dintero/client-id', clientSecret: '/var/run/secrets/dintero/client-secret' }),
 * });
 * ```
 */
export function dinteroCredentialsFromFiles(files: DinteroCredentialFiles): DinteroCredentialsProvider {
  const paths = [files?.clientId, files?.clientSecret];
  if (!paths.every((path) => typeof path === 'string' && path.length > 0)) {
    throw new TypeError('dinteroCredentialsFromFiles needs { clientId, clientSecret }: the paths of two files');
  }
  let seen: { signature: string; credentials: DinteroClientCredentials } | undefined;
  return async () => {
    const signature = (await Promise.all(paths.map(fileSignature))).join('|');
    if (seen?.signature === signature) return seen.credentials;
    // Taken before reading: a file that changes while being read is read again next time.
    const [clientId, clientSecret] = await Promise.all(paths.map(async (path) => (await readFile(path, 'utf8')).trim()));
    seen = { signature, credentials: Object.freeze({ clientId: clientId!, clientSecret: clientSecret! }) };
    return seen.credentials;
  };
}

/** What changes when a file is replaced or rewritten, through any symlink swap. */
async function fileSignature(path: string | undefined): Promise<string> {
  const facts = await stat(path!, { bigint: true });
  return `${facts.dev}:${facts.ino}:${facts.size}:${facts.mtimeNs}:${facts.ctimeNs}`;
}
