import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DinteroAuthModuleOptions } from './interfaces/dintero-auth-options.interface.js';

/** Registration-time extras that shape the module itself, not the token client. */
export interface DinteroAuthModuleExtras {
  /** Register the module globally, so feature modules need not import it. Default `false`. */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: DinteroAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: DINTERO_AUTH_MODULE_OPTIONS,
  OPTIONS_TYPE: DINTERO_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: DINTERO_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<DinteroAuthModuleOptions>({ moduleName: 'DinteroAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createDinteroAuthOptions')
  .setExtras<DinteroAuthModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
