import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { inboundRequest, Refusals, VERIFIED, verifierFor } from './inbound-context.js';
import { readCallbackUrl } from './callback-url.js';
import { callbackAccountOf } from './verify-dintero-callback.js';

/**
 * Lets through only callbacks signed by Dintero (`Dintero-Signature`, within the tolerance, each
 * signature once); anything else gets a plain 401. `@DinteroVerified()` hands the handler what was
 * proved. Configure `signature` on `DinteroAuthModule`, or the accounts' secrets through the
 * `DinteroAccountsModule` resolver: the account comes from the callback's transaction id.
 */
@Injectable()
export class DinteroCallbackGuard implements CanActivate {
  private readonly refusals = new Refusals('callback');

  constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { http, request } = inboundRequest(context);
    try {
      const url = readCallbackUrl(request.url);
      const verifier = await verifierFor(this.moduleRef, callbackAccountOf(url));
      http[VERIFIED] = await verifier.verifyCallback(request, url);
      return true;
    } catch (error) {
      throw this.refusals.refuse(error);
    }
  }
}
