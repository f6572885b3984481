import { Injectable, type OnModuleInit } from '@nestjs/common';
import axios from 'axios';
import { DinteroAuthInterceptor } from 'nestjs-dintero-auth';

/** An axios instance of your own, for Dintero's API: the interceptor adds the token. */
@Injectable()
export class BillingClient implements OnModuleInit {
  // The module's base URL, so that a local stand-in (DINTERO_BASE_URL) is trusted with the token.
  readonly http = axios.create({ baseURL: process.env.DINTERO_BASE_URL ?? 'https://checkout.dintero.com/v1' });

  constructor(private readonly interceptor: DinteroAuthInterceptor) {}

  onModuleInit(): void {
    // Detached when the application shuts down; attach() returns a function to detach sooner.
    this.interceptor.attach(this.http);
  }
}
