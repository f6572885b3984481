import { type DynamicModule, Module } from '@nestjs/common';
import {
  DinteroAuthConfigurableModule,
  type DinteroAuthModuleAsyncOptions,
  type DinteroAuthModuleRegistration,
} from './dintero-auth.module-definition.js';
import { createDinteroAuthProviders } from './dintero-auth.providers.js';

/**
 * Dintero access tokens for a NestJS application, and `DinteroHttpService` to call Dintero with them.
 *
 * `DinteroAuthModule.forRoot({ accountId, clientId, clientSecret })`, or `forRootAsync()` with
 * `useFactory` / `useClass` / `useExisting`, `imports` and `inject`. Global unless `isGlobal: false`;
 * `name` tells several accounts apart. Options are validated once, while the application is
 * created; invalid ones fail start-up with a `DinteroAuthConfigError` that names every bad field.
 */
@Module({
  providers: createDinteroAuthProviders(),
  // Exports are set per registration (by class, or by name): see dintero-auth.module-definition.ts.
})
export class DinteroAuthModule extends DinteroAuthConfigurableModule {
  /** The module with these options (and `isGlobal`, `name`). */
  static override forRoot(options: DinteroAuthModuleRegistration): DynamicModule {
    return super.forRoot(options);
  }

  /** The module with options made by a factory, a class or an existing provider. */
  static override forRootAsync(options: DinteroAuthModuleAsyncOptions): DynamicModule {
    return super.forRootAsync(options);
  }
}
