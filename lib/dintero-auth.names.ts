import { Inject } from '@nestjs/common';

/**
 * Injection token of the `DinteroTokenService` of the registration named `name`
 * (`DinteroAuthModule.forRoot({ ..., name })`).
 */
export function getDinteroTokenServiceToken(name: string): string {
  return `DinteroTokenService:${name}`;
}

/** Injection token of the `DinteroHttpService` of the registration named `name`. */
export function getDinteroHttpServiceToken(name: string): string {
  return `DinteroHttpService:${name}`;
}

/** Injects the `DinteroTokenService` of the registration named `name`. */
export const InjectDinteroTokens = (name: string): PropertyDecorator & ParameterDecorator => Inject(getDinteroTokenServiceToken(name));

/** Injects the `DinteroHttpService` of the registration named `name`. */
export const InjectDinteroHttp = (name: string): PropertyDecorator & ParameterDecorator => Inject(getDinteroHttpServiceToken(name));
