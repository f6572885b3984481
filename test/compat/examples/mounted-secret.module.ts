import { Module } from '@nestjs/common';
import { DinteroAuthModule, dinteroCredentialsFromFiles, dinteroOptionsFromEnv } from 'nestjs-dintero-auth';

@Module({
  imports: [
    DinteroAuthModule.forRootAsync({
      useFactory: () => {
        // Where Kubernetes mounts the secret (keys `client-id` and `client-secret`).
        const dir = process.env.DINTERO_SECRET_DIR ?? '/var/run/secrets/dintero';
        return dinteroOptionsFromEnv(process.env, {
          // Read before the first token request, and again when Dintero refuses the secret in use.
          credentials: dinteroCredentialsFromFiles({ clientId: `${dir}/client-id`, clientSecret: `${dir}/client-secret` }),
        });
      },
    }),
  ],
})
export class AppModule {}
