import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { AxiosError } from 'axios';
import { DinteroAuthError } from '../errors/dintero-auth.error.js';
import { dinteroErrorResponse } from './dintero-error-response.js';

/**
 * Opt-in: turns this module's errors and Dintero's answers into HTTP answers a client can act on
 * (see {@link dinteroErrorResponse}), instead of a 500. Any other error, including an axios error
 * of a call that did not go to Dintero, goes to Nest's own handling. Register it per controller
 * (`@UseFilters(DinteroExceptionFilter)`) or for the app (`{ provide: APP_FILTER, useClass:
 * DinteroExceptionFilter }`, or `app.useGlobalFilters(new DinteroExceptionFilter(httpAdapter))`).
 */
@Catch(DinteroAuthError, AxiosError)
export class DinteroExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    const mapped = host.getType() === 'http' ? dinteroErrorResponse(exception) : undefined;
    if (!mapped || !adapter) return super.catch(exception, host);
    const response: unknown = host.switchToHttp().getResponse();
    if (mapped.retryAfterSeconds !== undefined) adapter.setHeader(response, 'Retry-After', String(mapped.retryAfterSeconds));
    adapter.reply(response, mapped.body, mapped.status);
  }
}
