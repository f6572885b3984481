import { Inject, type InjectionToken } from '@nestjs/common';
import { DinteroAuthInterceptor } from '../http/dintero-auth.interceptor.js';
import { DinteroHttpService } from '../http/dintero-http.service.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';

/** Injection token of the validated, frozen `DinteroAuthConfig`. */
export const DINTERO_AUTH_CONFIG = Symbol('DINTERO_AUTH_CONFIG');

/** Injection token of the `Clock` the module runs on: override it in tests to drive time by hand. */
export const DINTERO_CLOCK = Symbol('DINTERO_CLOCK');

/** Injection token of the `TokenEndpoint` that grants tokens: Dintero's, or a test kit's stand-in. */
export const DINTERO_TOKEN_ENDPOINT = Symbol('DINTERO_TOKEN_ENDPOINT');

/** Injection token of the registration's `DinteroClient`, bound to Nest's lifecycle. */
export const DINTERO_CLIENT = Symbol('DINTERO_CLIENT');

/**
 * Injection token of the `DinteroTokenService` of the registration named `name`
 * (`DinteroAuthModule.forRoot({ ..., name })`); without a name, of the unnamed registration.
 */
export function getDinteroTokenServiceToken(name?: string): InjectionToken {
  return name === undefined ? DinteroTokenService : `DinteroTokenService:${name}`;
}

/** Injection token of the `DinteroHttpService` of the registration named `name` (or the unnamed one). */
export function getDinteroHttpServiceToken(name?: string): InjectionToken {
  return name === undefined ? DinteroHttpService : `DinteroHttpService:${name}`;
}

/** Injection token of the `DinteroAuthInterceptor` of the registration named `name` (or the unnamed one). */
export function getDinteroAuthInterceptorToken(name?: string): InjectionToken {
  return name === undefined ? DinteroAuthInterceptor : `DinteroAuthInterceptor:${name}`;
}

/** Injects the `DinteroTokenService` of the registration named `name`, or of the unnamed one. */
export const InjectDinteroTokens = (name?: string): PropertyDecorator & ParameterDecorator => Inject(getDinteroTokenServiceToken(name));

/** Injects the `DinteroHttpService` of the registration named `name`, or of the unnamed one. */
export const InjectDinteroHttp = (name?: string): PropertyDecorator & ParameterDecorator => Inject(getDinteroHttpServiceToken(name));

/** Injects the `DinteroAuthInterceptor` of the registration named `name`, or of the unnamed one. */
export const InjectDinteroAuthInterceptor = (name?: string): PropertyDecorator & ParameterDecorator =>
  Inject(getDinteroAuthInterceptorToken(name));
