import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { DinteroAccountIdError, DinteroAccountNotFoundError } from 'nestjs-dintero-auth';

/** A merchant id that is not a Dintero account id is a 400; a merchant not on the platform, a 404. */
@Catch(DinteroAccountIdError, DinteroAccountNotFoundError)
export class AccountErrorFilter implements ExceptionFilter {
  catch(exception: DinteroAccountIdError | DinteroAccountNotFoundError, host: ArgumentsHost): void {
    const [status, error, message] =
      exception instanceof DinteroAccountNotFoundError
        ? [HttpStatus.NOT_FOUND, 'Not Found', `No merchant ${exception.accountId} on this platform`]
        : [HttpStatus.BAD_REQUEST, 'Bad Request', exception.message];
    host.switchToHttp().getResponse<Response>().status(status).json({ statusCode: status, error, message, code: exception.code });
  }
}
