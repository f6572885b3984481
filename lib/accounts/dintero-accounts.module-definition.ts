import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DinteroAccountsModuleOptions } from '../options/dintero-accounts-options.js';

/** Registration-time extras of `DinteroAccountsModule`. */
export interface DinteroAccountsModuleExtras {
  /** Register the module globally, so feature modules need not import it. Default `false`. */
  isGlobal?: boolean;
}

const definition = new ConfigurableModuleBuilder<DinteroAccountsModuleOptions>({ moduleName: 'DinteroAccounts' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createDinteroAccountsOptions')
  .setExtras<DinteroAccountsModuleExtras>({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** The base class that gives `DinteroAccountsModule` its `forRoot()` and `forRootAsync()`. */
export const DinteroAccountsConfigurableModule = definition.ConfigurableModuleClass;
/** Injection token of the options as given to `forRoot()` or made by the `forRootAsync()` factory. */
export const DINTERO_ACCOUNTS_MODULE_OPTIONS = definition.MODULE_OPTIONS_TOKEN;
