import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { DINTERO_AUTH_CONFIG } from './dintero-auth.constants.js';
import { getDinteroHttpServiceToken, getDinteroTokenServiceToken } from './dintero-auth.names.js';
import { DinteroAuthInterceptor } from './http/dintero-auth.interceptor.js';
import { DinteroHttpService } from './http/dintero-http.service.js';
import type { DinteroAuthModuleOptions } from './interfaces/dintero-auth-options.interface.js';
import { DinteroTokenService } from './token/dintero-token.service.js';

/** Registration-time extras that shape the module itself, not the token client. */
export interface DinteroAuthModuleExtras {
  /** Register the module globally, so feature modules need not import it. Default `false`. */
  isGlobal?: boolean;
  /**
   * Names this registration (an account, a merchant), for apps that hold several: inject its
   * services with `@InjectDinteroTokens(name)` and `@InjectDinteroHttp(name)`.
   */
  name?: string;
}

/**
 * What a registration exports: its services by class, or, when named, only by name. Several
 * named registrations in one scope then never answer a plain `DinteroTokenService` with
 * whichever came last: that injection fails at start-up, saying what is missing.
 */
function withExports(definition: DynamicModule, name: string | undefined): DynamicModule {
  if (name === undefined) {
    return { ...definition, exports: [DinteroTokenService, DinteroHttpService, DinteroAuthInterceptor, DINTERO_AUTH_CONFIG] };
  }
  const aliases = [
    { provide: getDinteroTokenServiceToken(name), useExisting: DinteroTokenService },
    { provide: getDinteroHttpServiceToken(name), useExisting: DinteroHttpService },
  ];
  return { ...definition, providers: [...(definition.providers ?? []), ...aliases], exports: aliases.map((alias) => alias.provide) };
}

const definition = new ConfigurableModuleBuilder<DinteroAuthModuleOptions>({ moduleName: 'DinteroAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createDinteroAuthOptions')
  .setExtras<DinteroAuthModuleExtras>({ isGlobal: false, name: undefined }, (definition, extras) => ({
    ...withExports(definition, extras.name),
    global: extras.isGlobal,
  }))
  .build();

/** The base class that gives `DinteroAuthModule` its `forRoot()` and `forRootAsync()`. */
export const DinteroAuthConfigurableModule = definition.ConfigurableModuleClass;
/** Injection token of the options as given to `forRoot()` or made by the `forRootAsync()` factory. */
export const DINTERO_AUTH_MODULE_OPTIONS = definition.MODULE_OPTIONS_TOKEN;
/** The type of `forRoot()`'s argument (for `typeof`: it has no value at run time). */
export const DINTERO_AUTH_OPTIONS_TYPE = definition.OPTIONS_TYPE;
/** The type of `forRootAsync()`'s argument (for `typeof`: it has no value at run time). */
export const DINTERO_AUTH_ASYNC_OPTIONS_TYPE = definition.ASYNC_OPTIONS_TYPE;
