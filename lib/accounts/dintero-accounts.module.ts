import { Module } from '@nestjs/common';
import { DINTERO_CLOCK } from '../module/injection-tokens.js';
import { type Clock, systemClock } from '../token/clock.js';
import { DinteroAccounts } from './dintero-accounts.js';
import { DINTERO_ACCOUNTS_MODULE_OPTIONS, DinteroAccountsConfigurableModule } from './dintero-accounts.module-definition.js';
import type { DinteroAccountsModuleOptions } from '../options/dintero-accounts-options.js';

/**
 * Many Dintero accounts, known only at run time: inject `DinteroAccounts` and `get(accountId)`.
 *
 * `DinteroAccountsModule.forRoot({ resolveCredentials, ...shared options })`, or
 * `forRootAsync()` with `useFactory` / `useClass` / `useExisting`, `imports`, `inject` and
 * `isGlobal`. The shared options are those of `DinteroAuthModule` but the account's own, and are
 * validated while the application is created.
 */
@Module({
  providers: [
    { provide: DINTERO_CLOCK, useValue: systemClock },
    {
      provide: DinteroAccounts,
      useFactory: (options: DinteroAccountsModuleOptions, clock: Clock) => new DinteroAccounts(options, clock),
      inject: [DINTERO_ACCOUNTS_MODULE_OPTIONS, DINTERO_CLOCK],
    },
  ],
  exports: [DinteroAccounts],
})
export class DinteroAccountsModule extends DinteroAccountsConfigurableModule {}
