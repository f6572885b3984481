import { Injectable } from '@nestjs/common';
import { DinteroTokenService } from 'nestjs-dintero-auth';

/** For a client that is not axios (fetch, a queue worker, ...): the header to send. */
@Injectable()
export class DinteroHeaders {
  constructor(private readonly tokens: DinteroTokenService) {}

  async authorization(): Promise<{ Authorization: string }> {
    return { Authorization: `Bearer ${await this.tokens.getAccessToken()}` };
  }
}
