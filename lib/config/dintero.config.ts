import { registerAs } from '@nestjs/config';
import type { DinteroAuthModuleOptions } from '../options/dintero-auth-options.js';
import { dinteroOptionsFromEnv } from '../options/options-from-env.js';

/**
 * `@nestjs/config` namespace `dintero`, read from `DINTERO_*` environment variables (see
 * `dinteroOptionsFromEnv`). One line wires the module:
 *
 * ```ts
 * DinteroAuthModule.forRootAsync(dinteroConfig.asProvider())
 * ```
 */
export const dinteroConfig = registerAs('dintero', (): DinteroAuthModuleOptions => dinteroOptionsFromEnv(process.env));
