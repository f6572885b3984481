import { Module } from '@nestjs/common';
import { DinteroAuthModule, dinteroOptionsFromEnv } from 'nestjs-dintero-auth';
import { RedisTokenStore } from 'nestjs-dintero-auth/redis';

@Module({
  imports: [
    DinteroAuthModule.forRootAsync({
      // The store is closed when the application shuts down.
      useFactory: () => dinteroOptionsFromEnv(process.env, { store: new RedisTokenStore({ url: process.env.REDIS_URL }) }),
    }),
  ],
})
export class AppModule {}
