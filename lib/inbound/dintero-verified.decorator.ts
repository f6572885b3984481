import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type GuardedRequest, VERIFIED } from './inbound-context.js';

/**
 * What `DinteroCallbackGuard` or `DinteroWebhookGuard` proved about the request:
 * `DinteroVerifiedCallback` (`accountId`, `timestamp`) or `DinteroVerifiedWebhook` (`deliveryId`, `event`).
 */
export const DinteroVerified = createParamDecorator(
  (_: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest<GuardedRequest>()[VERIFIED],
);
