import { type ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import axios, { AxiosError } from 'axios';
import { DinteroAuthError } from '../errors/dintero-auth.error.js';
import { LOGGER_CONTEXT } from '../options/dintero-auth.constants.js';
import { dinteroCallAccountOf } from './dintero-call-errors.js';
import { type DinteroErrorResponse, dinteroErrorResponse } from './dintero-error-response.js';

/**
 * Opt-in: turns this module's errors and Dintero's answers into HTTP answers a client can act on
 * (see {@link dinteroErrorResponse}), instead of a 500. Any other error, including an axios error
 * of a call that did not go to Dintero, goes to Nest's own handling. Register it per controller
 * (`@UseFilters(DinteroExceptionFilter)`) or for the app (`{ provide: APP_FILTER, useClass:
 * DinteroExceptionFilter }`, or `app.useGlobalFilters(new DinteroExceptionFilter(httpAdapter))`).
 * Each answer is logged with the Dintero call's method, URL without query and account.
 */
@Catch(DinteroAuthError, AxiosError)
export class DinteroExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(LOGGER_CONTEXT);

  /** Answers for a Dintero failure over HTTP; hands anything else to Nest's own handling. */
  override catch(exception: unknown, host: ArgumentsHost): void {
    const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    const mapped = host.getType() === 'http' ? dinteroErrorResponse(exception) : undefined;
    if (!mapped || !adapter) return super.catch(exception, host);
    this.log(exception, mapped);
    const response: unknown = host.switchToHttp().getResponse();
    if (mapped.retryAfterSeconds !== undefined) adapter.setHeader(response, 'Retry-After', String(mapped.retryAfterSeconds));
    adapter.reply(response, mapped.body, mapped.status);
  }

  private log(exception: unknown, mapped: DinteroErrorResponse): void {
    const what = axios.isAxiosError(exception)
      ? `${callOf(exception)} (account ${dinteroCallAccountOf(exception)}): ${
          exception.response ? `Dintero answered ${exception.response.status}` : `no answer (${exception.code ?? 'error'})`
        }`
      : `${exception instanceof Error ? exception.name : 'Error'}: ${exception instanceof Error ? exception.message : String(exception)}`;
    const line = `${what}; answered ${mapped.status}`;
    if (mapped.status >= 500) this.logger.warn(line);
    else this.logger.debug(line);
  }
}

/** `GET https://checkout.dintero.com/v1/transactions/T1.x`: no query, no credentials, no fragment. */
function callOf(error: AxiosError): string {
  const method = (error.config?.method ?? 'get').toUpperCase();
  try {
    const url = new URL(axios.getUri(error.config));
    return `${method} ${url.origin}${url.pathname}`;
  } catch {
    return method;
  }
}
