import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/** A Nest logger that keeps every line (debug and verbose included) for assertions. */
export class CaptureLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }

  /** Lines of one level, e.g. `warn`. */
  at(level: string): string[] {
    return this.lines.filter((line) => line.startsWith(`${level} `));
  }

  private keep(level: string, message: unknown, rest: unknown[]): void {
    const parts = [message, ...rest].map((part) => (typeof part === 'string' ? part : inspect(part, { depth: 10 })));
    this.lines.push(`${level} ${parts.join(' ')}`);
  }
}
