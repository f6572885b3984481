/** Package name, sent in the `User-Agent` of every request this module makes. */
export const PACKAGE_NAME = 'nestjs-dintero-auth';

/** Package version; a test keeps it equal to package.json's. */
export const PACKAGE_VERSION = '0.1.0';

/** `User-Agent` header value for requests made by this module. */
export const USER_AGENT = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;

/** Dintero's Checkout API base URL; the token endpoint lives under it. */
export const DEFAULT_BASE_URL = 'https://checkout.dintero.com/v1';

/** Origins that always count as Dintero's own. */
export const DINTERO_ORIGINS: readonly string[] = Object.freeze(['https://checkout.dintero.com', 'https://api.dintero.com']);

/** Logger context used by every log line of this module. */
export const LOGGER_CONTEXT = 'DinteroAuth';
