import { Controller, Get } from '@nestjs/common';
import { DinteroTokenService } from 'nestjs-dintero-auth';

/** Token health, never the token: what an operator looks at when payments fail. */
@Controller('auth')
export class AuthStatusController {
  constructor(private readonly tokens: DinteroTokenService) {}

  @Get('status')
  async status() {
    try {
      const token = await this.tokens.getToken();
      return {
        ok: true,
        fingerprint: token.fingerprint,
        obtainedAt: token.obtainedAt,
        refreshAt: token.refreshAt,
        expiresAt: token.expiresAt,
        expiresInSeconds: Math.round((token.expiresAt.getTime() - Date.now()) / 1000),
      };
    } catch (error) {
      const failure = error as Error & { code?: string };
      return { ok: false, error: { code: failure.code, message: failure.message } };
    }
  }
}
