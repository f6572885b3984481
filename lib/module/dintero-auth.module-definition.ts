import {
  type ConfigurableModuleAsyncOptions,
  ConfigurableModuleBuilder,
  type ConfigurableModuleOptionsFactory,
  type DynamicModule,
} from '@nestjs/common';
import { getDinteroAuthInterceptorToken, getDinteroHttpServiceToken, getDinteroTokenServiceToken } from './injection-tokens.js';
import { DINTERO_REGISTRATION, type DinteroRegistration, UNIQUE_REGISTRATIONS_CHECK } from './unique-registrations.js';
import { DinteroAuthInterceptor } from '../http/dintero-auth.interceptor.js';
import { DinteroHttpService } from '../http/dintero-http.service.js';
import type { DinteroAuthModuleOptions } from '../options/dintero-auth-options.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';

/** Registration-time extras that shape the module itself, not the token client. */
export interface DinteroAuthModuleExtras {
  /**
   * Register the module globally, so feature modules inject its services without importing
   * it. Default `true`: one Dintero account serves the whole application, as a logger does.
   */
  isGlobal?: boolean;
  /**
   * Names this registration (an account, a merchant), for apps that hold several: inject its
   * services with `@InjectDinteroTokens(name)` and `@InjectDinteroHttp(name)`. Unique in an
   * application.
   */
  name?: string;
}

/** The argument of `DinteroAuthModule.forRoot()`. */
export type DinteroAuthModuleRegistration = DinteroAuthModuleOptions & DinteroAuthModuleExtras;

/** A class that makes the options, for `forRootAsync({ useClass })` or `useExisting`. */
export type DinteroAuthOptionsFactory = ConfigurableModuleOptionsFactory<DinteroAuthModuleOptions, 'createDinteroAuthOptions'>;

/** The argument of `DinteroAuthModule.forRootAsync()`: `useFactory`, `useClass` or `useExisting`, with `imports` and `inject`. */
export type DinteroAuthModuleAsyncOptions = ConfigurableModuleAsyncOptions<DinteroAuthModuleOptions, 'createDinteroAuthOptions'> &
  DinteroAuthModuleExtras;

const SERVICES = [
  { service: DinteroTokenService, tokenFor: getDinteroTokenServiceToken },
  { service: DinteroHttpService, tokenFor: getDinteroHttpServiceToken },
  { service: DinteroAuthInterceptor, tokenFor: getDinteroAuthInterceptorToken },
];

/**
 * What a registration exports: its services by class, or, when named, only by name. Several
 * named registrations in one scope then never answer a plain `DinteroTokenService` with
 * whichever came last: that injection fails at start-up, saying what is missing.
 */
function withRegistration(definition: DynamicModule, registration: DinteroRegistration): DynamicModule {
  const { name, isGlobal } = registration;
  const aliases = name === undefined ? [] : SERVICES.map(({ service, tokenFor }) => ({ provide: tokenFor(name), useExisting: service }));
  const recorded = { provide: DINTERO_REGISTRATION, useValue: registration };
  return {
    ...definition,
    global: isGlobal,
    providers: [...(definition.providers ?? []), ...aliases, recorded, UNIQUE_REGISTRATIONS_CHECK],
    exports: name === undefined ? SERVICES.map(({ service }) => service) : aliases.map((alias) => alias.provide),
  };
}

const definition = new ConfigurableModuleBuilder<DinteroAuthModuleOptions>({ moduleName: 'DinteroAuth' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createDinteroAuthOptions')
  .setExtras<DinteroAuthModuleExtras>({ isGlobal: true, name: undefined }, (definition, extras) =>
    withRegistration(definition, { name: extras.name, isGlobal: extras.isGlobal ?? true }),
  )
  .build();

/** The base class that gives `DinteroAuthModule` its `forRoot()` and `forRootAsync()`. */
export const DinteroAuthConfigurableModule = definition.ConfigurableModuleClass;
/** Injection token of the options as given to `forRoot()` or made by the `forRootAsync()` factory. */
export const DINTERO_AUTH_MODULE_OPTIONS = definition.MODULE_OPTIONS_TOKEN;
