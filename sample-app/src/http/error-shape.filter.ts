import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** What a client may show for the body parser's errors, whose own words are not a person's. */
const PLAIN_WORDS: Partial<Record<number, string>> = {
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'The request body is too large (at most 100 kB).',
};

/** Whether Nest made `exception` from an error of the body parser (http-errors: a `type` and `expose`). */
function fromBodyParser(exception: HttpException): boolean {
  const cause = exception.cause as { type?: unknown; expose?: unknown } | undefined;
  return typeof cause?.type === 'string' && typeof cause.expose === 'boolean';
}

/**
 * The body parser's errors in the shape of this app's others, `{statusCode, error, message}`:
 * its 413 comes without `error`, in the parser's words. Every other HttpException is answered as
 * Nest answers it.
 */
@Catch(HttpException)
export class ErrorShapeFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    const answer = exception.getResponse();
    const body = typeof answer === 'string' ? { statusCode: status, message: answer } : answer;
    const shaped = fromBodyParser(exception)
      ? { statusCode: status, error: STATUS_CODES[status], message: PLAIN_WORDS[status] ?? (body as { message?: unknown }).message }
      : body;
    host.switchToHttp().getResponse<Response>().status(status).json(shaped);
  }
}
