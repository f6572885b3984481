import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { DinteroAuthModuleOptions } from 'nestjs-dintero-auth';
import type { LocalDintero } from './local-dintero.js';

const CREDENTIAL_VARIABLES = ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET'] as const;

/** Whether the environment names a real Dintero (any credential variable set), rather than the fake. */
export function usesRealDintero(read: (name: string) => string | undefined): boolean {
  return CREDENTIAL_VARIABLES.some((name) => read(name));
}

/**
 * Which Dintero the app talks to: the real one when credentials are in the environment,
 * otherwise the {@link LocalDintero} that development runs in this process (the built-in fake).
 */
export class DinteroTarget {
  private constructor(
    readonly options: DinteroAuthModuleOptions,
    readonly profileId: string,
    /** Whether this is the built-in fake. */
    readonly isFake: boolean,
  ) {}

  static fromConfig(config: ConfigService, local?: LocalDintero): DinteroTarget {
    const logger = new Logger('Dintero');
    const profileId = config.get<string>('DINTERO_PROFILE_ID');
    if (usesRealDintero((name) => config.get<string>(name))) {
      if (!profileId) {
        throw new Error(
          'DINTERO_PROFILE_ID is required with Dintero credentials: the payment profile to create sessions with (Dintero backoffice: Settings > Payment profiles)',
        );
      }
      // Partial credentials go to the module as they are: its config error names what is missing.
      const options: DinteroAuthModuleOptions = {
        accountId: config.get<string>('DINTERO_ACCOUNT_ID') ?? '',
        clientId: config.get<string>('DINTERO_CLIENT_ID') ?? '',
        clientSecret: config.get<string>('DINTERO_CLIENT_SECRET') ?? '',
        ...(config.get<string>('DINTERO_BASE_URL') ? { baseUrl: config.get<string>('DINTERO_BASE_URL') } : {}),
        systemName: 'nestjs-dintero-auth-sample',
        prefetch: true,
      };
      logger.log(`Using Dintero at ${options.baseUrl ?? 'https://checkout.dintero.com/v1'}, account ${options.accountId}`);
      return new DinteroTarget(options, profileId, false);
    }
    if (!local) {
      throw new Error(
        `No Dintero credentials in the environment, and no built-in fake to use instead: set ${CREDENTIAL_VARIABLES.join(', ')} and DINTERO_PROFILE_ID`,
      );
    }
    logger.warn(`No Dintero credentials in the environment: using the built-in FAKE Dintero at ${local.baseUrl}`);
    const options: DinteroAuthModuleOptions = {
      ...local.client,
      baseUrl: local.baseUrl,
      allowInsecureLoopback: true,
      systemName: 'nestjs-dintero-auth-sample',
      prefetch: true,
    };
    return new DinteroTarget(options, profileId ?? 'default', true);
  }

  /** Whether Dintero can call back `publicUrl`: public https for Dintero, loopback for the fake. */
  acceptsCallbacksAt(publicUrl: string): boolean {
    const url = new URL(publicUrl);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return this.isFake ? loopback : url.protocol === 'https:' && !loopback;
  }
}
