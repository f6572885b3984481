import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';

/**
 * An `HttpService` for Dintero's Checkout API: `get`, `post`, `put`, `delete`, `request` and
 * `axiosRef`, over an axios instance of this module's own, with `baseURL` set to the configured
 * base URL, `Dintero-System-*` headers, and the bearer token attached by
 * `DinteroAuthInterceptor`. The app's own `HttpService` and the global axios stay untouched.
 */
@Injectable()
export class DinteroHttpService extends HttpService {}
