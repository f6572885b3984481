import { Injectable, type OnModuleInit } from '@nestjs/common';
import axios from 'axios';
import { DinteroAuthInterceptor } from 'nestjs-dintero-auth';

/** An axios instance of your own, for Dintero's API: the interceptor adds the token. */
@Injectable()
export class BillingClient implements OnModuleInit {
  readonly http = axios.create({ baseURL: 'https://api.dintero.com/v1' });

  constructor(private readonly interceptor: DinteroAuthInterceptor) {}

  onModuleInit(): void {
    // Detached when the application shuts down; attach() returns a function to detach sooner.
    this.interceptor.attach(this.http);
  }
}
