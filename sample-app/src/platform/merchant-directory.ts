import type { DinteroAccountCredentials } from 'nestjs-dintero-auth';
import type { PlatformMerchant } from './merchants.js';

/** The platform's merchants table, in memory: where a real platform would read its database. */
export class MerchantDirectory {
  private readonly merchants: ReadonlyMap<string, PlatformMerchant>;

  constructor(merchants: readonly PlatformMerchant[]) {
    this.merchants = new Map(merchants.map((merchant) => [merchant.accountId, merchant]));
  }

  /** The resolver of `DinteroAccountsModule`: `undefined` for a merchant not on the platform. */
  credentialsOf(accountId: string): DinteroAccountCredentials | undefined {
    const merchant = this.merchants.get(accountId);
    return merchant && { clientId: merchant.clientId, clientSecret: merchant.clientSecret };
  }

  /** The payment profile to create the merchant's sessions with. */
  profileOf(accountId: string): string | undefined {
    return this.merchants.get(accountId)?.profileId;
  }
}
