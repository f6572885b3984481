import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes version `stamp` (1, 2, ...) of a client id and secret into `at` as the kubelet mounts a
 * secret: `client-id -> ..data/client-id`, `..data -> ..{stamp}`, an update written to a new
 * directory and swapped in by one rename of the `..data` symlink. Values end with a newline, as
 * `kubectl create secret --from-file` often leaves them.
 */
export async function mountSecret(at: string, clientId: string, clientSecret: string, stamp: number): Promise<void> {
  const versioned = join(at, `..${stamp}`);
  await mkdir(versioned);
  await writeFile(join(versioned, 'client-id'), `${clientId}\n`);
  await writeFile(join(versioned, 'client-secret'), `${clientSecret}\n`);
  await symlink(`..${stamp}`, join(at, '..data_tmp'));
  await rename(join(at, '..data_tmp'), join(at, '..data'));
  if (stamp === 1) {
    await symlink('..data/client-id', join(at, 'client-id'));
    await symlink('..data/client-secret', join(at, 'client-secret'));
  }
}
