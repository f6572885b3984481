import type { NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { fileURLToPath } from 'node:url';
import { BodyDepthPipe } from './http/body-depth.pipe.js';
import { ErrorShapeFilter } from './http/error-shape.filter.js';
import { OneMessageValidationPipe } from './http/one-message-validation.pipe.js';
import { PrototypeKeysPipe } from './http/prototype-keys.pipe.js';
import { securityHeaders } from './http/security-headers.js';
import { DinteroErrorFilter } from './payments/dintero-error.filter.js';

/** How main.ts creates the app: keeping each request's raw body, which webhook signatures are checked over. */
export const APP_OPTIONS = { rawBody: true } as const satisfies NestApplicationOptions;

/** Everything main.ts does to the app besides listening: shared with the e2e tests. */
export function setUpApp(app: NestExpressApplication): NestExpressApplication {
  // Before the static files and the routes: every answer carries them.
  app.use(securityHeaders);
  app.useGlobalPipes(
    new BodyDepthPipe(8),
    new PrototypeKeysPipe(),
    new OneMessageValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new ErrorShapeFilter(), new DinteroErrorFilter());
  // No redirect for a directory: `/payments/%2E%2E` is the routes' to refuse, not a 301 to follow.
  app.useStaticAssets(fileURLToPath(new URL('../public', import.meta.url)), { redirect: false });
  app.enableShutdownHooks();
  return app;
}
