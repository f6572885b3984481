import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** What a client may show for errors whose own words are the parser's, not a person's. */
const PLAIN_WORDS: Partial<Record<number, string>> = {
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'The request body is too large (at most 100 kB).',
};

/**
 * Every HTTP error in one shape, `{statusCode, error, message}` (plus what the exception adds):
 * the body parser's 413 comes without `error`, and would otherwise be the one answer unlike the rest.
 */
@Catch(HttpException)
export class ErrorShapeFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    const answer = exception.getResponse();
    const body = typeof answer === 'string' ? { message: answer } : (answer as Record<string, unknown>);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({ ...body, statusCode: status, error: body.error ?? STATUS_CODES[status], message: PLAIN_WORDS[status] ?? body.message });
  }
}
