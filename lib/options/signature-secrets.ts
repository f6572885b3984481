import { inspect } from 'node:util';

/** Secrets as given: a list, current first, or a function that reads them (a rotation, a vault). */
export type DinteroSecretsSource = readonly string[] | (() => readonly string[] | Promise<readonly string[]>);

/**
 * Signature secrets, behind a private field: `JSON.stringify` and `util.inspect` show only how
 * many were given, so a config holding them is still safe to log.
 */
export class SignatureSecrets {
  readonly #source: DinteroSecretsSource;

  constructor(source: DinteroSecretsSource) {
    this.#source = typeof source === 'function' ? source : Object.freeze([...source]);
    Object.freeze(this);
  }

  /** The secrets now; a function source is asked each time (it may cache). */
  async read(): Promise<readonly string[]> {
    const source = this.#source;
    return typeof source === 'function' ? await source() : source;
  }

  toJSON(): string {
    return '<redacted>';
  }

  [inspect.custom](): string {
    return 'SignatureSecrets(<redacted>)';
  }
}
