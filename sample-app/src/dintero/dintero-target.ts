import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { DinteroAuthModuleOptions } from 'nestjs-dintero-auth';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/fake-dintero';
import { FAKE_PLATFORM_MERCHANTS } from '../platform/merchants.js';

const CREDENTIAL_VARIABLES = ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET'] as const;

/** Whether the environment names a real Dintero (any credential variable set), rather than the fake. */
export function usesRealDintero(read: (name: string) => string | undefined): boolean {
  return CREDENTIAL_VARIABLES.some((name) => read(name));
}

/**
 * Which Dintero the app talks to: the real one when credentials are in the environment,
 * otherwise a fake started in this process on a free loopback port.
 */
export class DinteroTarget implements OnApplicationShutdown {
  private constructor(
    readonly options: DinteroAuthModuleOptions,
    readonly profileId: string,
    /** The in-process fake, when no credentials were given. */
    readonly fake?: FakeDinteroServer,
  ) {}

  static async fromConfig(config: ConfigService): Promise<DinteroTarget> {
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
      return new DinteroTarget(options, profileId);
    }
    // The fake's test mode: it accepts and calls back this app's loopback callback_url.
    // It also knows the platform's two merchants (sample-app/src/platform).
    const clients = [
      FAKE_DINTERO_CLIENT,
      ...FAKE_PLATFORM_MERCHANTS.map(({ accountId, clientId, clientSecret }) => ({ accountId, clientId, clientSecret })),
    ];
    const fake = await new FakeDinteroServer({ clients, allowLoopbackCallbacks: true }).start();
    logger.warn(`No Dintero credentials in the environment: using the built-in FAKE Dintero at ${fake.baseUrl}`);
    const options: DinteroAuthModuleOptions = {
      ...FAKE_DINTERO_CLIENT,
      baseUrl: fake.baseUrl,
      allowInsecureLoopback: true,
      systemName: 'nestjs-dintero-auth-sample',
      prefetch: true,
    };
    return new DinteroTarget(options, profileId ?? 'default', fake);
  }

  /** Whether Dintero can call back `publicUrl`: public https for Dintero, loopback for the fake. */
  acceptsCallbacksAt(publicUrl: string): boolean {
    const url = new URL(publicUrl);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return this.isFake ? loopback : url.protocol === 'https:' && !loopback;
  }

  /** Whether this is the built-in fake. */
  get isFake(): boolean {
    return this.fake !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.fake?.stop();
  }
}
