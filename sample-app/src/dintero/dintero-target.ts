import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { DinteroAuthModuleOptions } from 'nestjs-dintero-auth';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/testing';

const CREDENTIAL_VARIABLES = ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET'] as const;

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
    const profileId = config.get<string>('DINTERO_PROFILE_ID') ?? 'default';
    if (CREDENTIAL_VARIABLES.some((name) => config.get<string>(name))) {
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
    const fake = await new FakeDinteroServer().start();
    logger.warn(`No Dintero credentials in the environment: using the built-in FAKE Dintero at ${fake.baseUrl}`);
    const options: DinteroAuthModuleOptions = {
      ...FAKE_DINTERO_CLIENT,
      baseUrl: fake.baseUrl,
      allowInsecureLoopback: true,
      systemName: 'nestjs-dintero-auth-sample',
      prefetch: true,
    };
    return new DinteroTarget(options, profileId, fake);
  }

  /** Whether this is the built-in fake. */
  get isFake(): boolean {
    return this.fake !== undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.fake?.stop();
  }
}
