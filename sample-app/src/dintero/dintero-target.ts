import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import {
  DINTERO_ENV_VARIABLES,
  DinteroAuthConfigError,
  type DinteroAuthConfigIssue,
  type DinteroAuthModuleOptions,
  dinteroOptionsFromEnv,
} from 'nestjs-dintero-auth';
import type { LocalDintero } from './local-dintero.js';
import { publicUrl } from './public-url.js';

const CREDENTIAL_VARIABLES = ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET'] as const;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a `DINTERO_BASE_URL` is on this machine: a stand-in (a fake Dintero in another process), never Dintero. */
function isLoopbackUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(value).hostname);
  } catch {
    return false;
  }
}

/** Whether the environment names a real Dintero (any credential variable set), rather than the fake. */
export function usesRealDintero(read: (name: string) => string | undefined): boolean {
  return CREDENTIAL_VARIABLES.some((name) => read(name));
}

/**
 * The module's options from the environment, read as `dinteroConfig` (nestjs-dintero-auth/config)
 * reads them, with this app's additions. Every problem is reported at once, by variable, in the
 * order .env.example lists them: partial credentials name each missing one, the secret included.
 */
function realDinteroOptions(read: (name: string) => string | undefined, profileId: string | undefined): DinteroAuthModuleOptions {
  const env = Object.fromEntries(Object.values(DINTERO_ENV_VARIABLES).map((name) => [name, read(name)]));
  // A stand-in on this machine speaks plain http; Dintero itself never does. An explicit
  // DINTERO_ALLOW_INSECURE_LOOPBACK (true or false) wins.
  if (env.DINTERO_ALLOW_INSECURE_LOOPBACK === undefined && isLoopbackUrl(env.DINTERO_BASE_URL))
    env.DINTERO_ALLOW_INSECURE_LOOPBACK = 'true';
  const issues: DinteroAuthConfigIssue[] = [];
  let options: DinteroAuthModuleOptions | undefined;
  try {
    options = dinteroOptionsFromEnv(env, { systemName: 'nestjs-dintero-auth-sample', prefetch: true });
  } catch (error) {
    if (!(error instanceof DinteroAuthConfigError)) throw error;
    // The variables are what a user of this app sets: the options they feed are the app's business.
    issues.push(...error.issues.map(({ path, problem }) => ({ path, problem: problem.replace(/ \(it gives the \w+ option\)$/, '') })));
  }
  if (!profileId) {
    issues.push({
      path: 'DINTERO_PROFILE_ID',
      problem: 'is not set: the payment profile to create sessions with (Dintero backoffice: Settings > Payment profiles)',
    });
  }
  if (issues.length > 0 || !options) throw DinteroAuthConfigError.fromIssues(issues);
  return options;
}

/** The secrets Dintero signs with: the account's callback signature secret, the webhook subscription's. */
interface InboundSecrets {
  readonly callback?: string | undefined;
  readonly webhook?: string | undefined;
}

/**
 * Which Dintero the app talks to: the real one when credentials are in the environment,
 * otherwise the {@link LocalDintero} that development runs in this process (the built-in fake).
 */
export class DinteroTarget {
  /** The options of `DinteroAuthModule`, `signature` included: what the callback and webhook guards check with. */
  readonly options: DinteroAuthModuleOptions;

  private constructor(
    connection: DinteroAuthModuleOptions,
    readonly profileId: string,
    /** Whether this is the built-in fake. */
    readonly isFake: boolean,
    /** Whether Dintero is on this machine (the built-in fake, or one at a loopback `DINTERO_BASE_URL`): it calls back loopback URLs. */
    readonly isLocal: boolean,
    /** Where browsers and Dintero reach this app (see {@link publicUrl}). */
    readonly publicUrl: string,
    secrets: InboundSecrets,
  ) {
    const signature = {
      ...(secrets.callback ? { callbackSecrets: [secrets.callback] } : {}),
      ...(secrets.webhook ? { webhookSecrets: [secrets.webhook] } : {}),
      // The host and path Dintero signs are those of the callback_url this app gives it, whatever Host a proxy passes on.
      ...(this.acceptsCallbacksAt(publicUrl) ? { publicUrl } : {}),
    };
    this.options = { ...connection, signature };
  }

  static fromConfig(config: ConfigService, local?: LocalDintero): DinteroTarget {
    const logger = new Logger('Dintero');
    const read = (name: string) => config.get<string>(name);
    const profileId = read('DINTERO_PROFILE_ID');
    if (usesRealDintero(read)) {
      const options = realDinteroOptions(read, profileId);
      logger.log(`Using Dintero at ${options.baseUrl ?? 'https://checkout.dintero.com/v1'}, account ${options.accountId}`);
      const secrets = { callback: read('DINTERO_CALLBACK_SECRET'), webhook: read('DINTERO_WEBHOOK_SECRET') };
      const target = new DinteroTarget(options, profileId!, false, isLoopbackUrl(read('DINTERO_BASE_URL')), publicUrl(read), secrets);
      if (!secrets.callback && target.acceptsCallbacksAt(target.publicUrl)) {
        logger.warn(
          'DINTERO_CALLBACK_SECRET is not set: every callback is refused with 401 (Dintero does not retry it). ' +
            'An order is then updated only when the payer comes back to /payments/return, the payment is read, or a webhook delivery tells the app: ' +
            "without a webhook, a payer who closes the tab is missed. Set it to the account's signature secret (POST /v1/admin/signature).",
        );
      }
      return target;
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
    const secrets = { callback: local.callbackSecret, webhook: local.webhookSecret };
    return new DinteroTarget(options, profileId ?? 'default', true, true, publicUrl(read), secrets);
  }

  /** Whether Dintero can call back `publicUrl`: public https for Dintero, loopback for a Dintero on this machine. */
  acceptsCallbacksAt(publicUrl: string): boolean {
    const url = new URL(publicUrl);
    const loopback = LOOPBACK_HOSTS.has(url.hostname);
    return this.isLocal ? loopback : url.protocol === 'https:' && !loopback;
  }
}
