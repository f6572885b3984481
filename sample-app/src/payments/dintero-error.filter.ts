import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import { AxiosError } from 'axios';
import type { Response } from 'express';
import { DinteroAuthError } from 'nestjs-dintero-auth';

interface DinteroErrorBody {
  error?: { code?: string; message?: string };
}

/**
 * Dintero's failures as answers a client can act on: its 404 stays a 404, any other error is a
 * 502 with Dintero's status, code and message; no token means 503; no answer means 504.
 * Never a stack trace, and (the module redacts them) never a token.
 */
@Catch(AxiosError, DinteroAuthError)
export class DinteroErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Dintero');

  catch(exception: AxiosError<DinteroErrorBody> | DinteroAuthError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = describe(exception);
    this.logger.warn(`${status}: ${exception.message}`);
    response.status(status).json(body);
  }
}

function describe(exception: AxiosError<DinteroErrorBody> | DinteroAuthError): [number, object] {
  if (exception instanceof DinteroAuthError) {
    return [
      HttpStatus.SERVICE_UNAVAILABLE,
      { statusCode: 503, error: 'Service Unavailable', message: 'No Dintero access token available', code: exception.code },
    ];
  }
  const answer = exception.response;
  if (!answer) {
    const timedOut = exception.code === 'ECONNABORTED' || exception.code === 'ETIMEDOUT';
    const status = timedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
    return [status, { statusCode: status, error: timedOut ? 'Gateway Timeout' : 'Bad Gateway', message: 'Dintero did not answer' }];
  }
  const dintero = { status: answer.status, code: answer.data?.error?.code, message: answer.data?.error?.message };
  if (answer.status === 404)
    return [HttpStatus.NOT_FOUND, { statusCode: 404, error: 'Not Found', message: dintero.message ?? 'Not found at Dintero', dintero }];
  return [HttpStatus.BAD_GATEWAY, { statusCode: 502, error: 'Bad Gateway', message: `Dintero answered ${answer.status}`, dintero }];
}
