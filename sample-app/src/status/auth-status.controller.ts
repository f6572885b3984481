import { Controller, Get } from '@nestjs/common';
import { DinteroTokenService } from 'nestjs-dintero-auth';

/** Token health for operators: never the token, and never a token request of its own. */
@Controller('auth')
export class AuthStatusController {
  constructor(private readonly tokens: DinteroTokenService) {}

  @Get('status')
  status() {
    const { token, refreshing, consecutiveFailures, lastError, nextAttemptAt } = this.tokens.status();
    return {
      healthy: token !== undefined,
      token: token && {
        fingerprint: token.fingerprint,
        obtainedAt: token.obtainedAt,
        refreshAt: token.refreshAt,
        expiresAt: token.expiresAt,
        expiresInSeconds: Math.max(0, Math.round((token.expiresAt.getTime() - Date.now()) / 1000)),
      },
      refreshing,
      consecutiveFailures,
      lastError: lastError && { code: lastError.code, message: lastError.message },
      nextAttemptAt,
    };
  }
}
