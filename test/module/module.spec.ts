import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import {
  DinteroAuthConfigError,
  DinteroAuthInterceptor,
  DinteroAuthModule,
  type DinteroAuthModuleOptions,
  type DinteroAuthOptionsFactory,
  DinteroHttpService,
  DinteroTokenRequestError,
  DinteroTokenService,
  getDinteroAuthInterceptorToken,
  InjectDinteroAuthInterceptor,
  InjectDinteroHttp,
  InjectDinteroTokens,
} from '../../lib/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { fakeOptions, startFake, startTokenApp } from '../support/token-app.js';

let fake: FakeDinteroServer;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fake = await startFake();
});
afterEach(async () => {
  while (closers.length) await closers.pop()!();
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function boot(imports: unknown[], providers: unknown[] = []) {
  const moduleRef = await Test.createTestingModule({ imports: imports as never[], providers: providers as never[] })
    .setLogger(new CaptureLogger())
    .compile();
  await moduleRef.init();
  closers.push(() => moduleRef.close());
  return moduleRef;
}

async function expectWorkingTokens(tokens: DinteroTokenService): Promise<void> {
  const token = await tokens.getToken();
  expect(fake.verifyToken(token.accessToken)?.aud).toBe(`https://api.dintero.com/v1/accounts/${FAKE_DINTERO_CLIENT.accountId}`);
}

@Injectable()
class OptionsFactory implements DinteroAuthOptionsFactory {
  createDinteroAuthOptions(): DinteroAuthModuleOptions {
    return fakeOptions(fake);
  }
}

@Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
class OptionsFactoryModule {}

describe('DinteroAuthModule registration', () => {
  it('forRoot provides a working DinteroTokenService', async () => {
    const moduleRef = await boot([DinteroAuthModule.forRoot(fakeOptions(fake))]);
    await expectWorkingTokens(moduleRef.get(DinteroTokenService));
  });

  it('forRootAsync with useFactory, imports and inject reads ConfigService', async () => {
    const env = {
      DINTERO_ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
      DINTERO_CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
      DINTERO_CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
      DINTERO_BASE_URL: fake.baseUrl,
    };
    const moduleRef = await boot([
      DinteroAuthModule.forRootAsync({
        imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] })],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          accountId: config.getOrThrow<string>('DINTERO_ACCOUNT_ID'),
          clientId: config.getOrThrow<string>('DINTERO_CLIENT_ID'),
          clientSecret: config.getOrThrow<string>('DINTERO_CLIENT_SECRET'),
          baseUrl: config.getOrThrow<string>('DINTERO_BASE_URL'),
          allowInsecureLoopback: true,
        }),
      }),
    ]);
    await expectWorkingTokens(moduleRef.get(DinteroTokenService));
  });

  it('forRootAsync with an async useFactory', async () => {
    const moduleRef = await boot([DinteroAuthModule.forRootAsync({ useFactory: () => Promise.resolve(fakeOptions(fake)) })]);
    await expectWorkingTokens(moduleRef.get(DinteroTokenService));
  });

  it('forRootAsync with useClass', async () => {
    const moduleRef = await boot([DinteroAuthModule.forRootAsync({ useClass: OptionsFactory })]);
    await expectWorkingTokens(moduleRef.get(DinteroTokenService));
  });

  it('forRootAsync with useExisting from an imported module', async () => {
    const moduleRef = await boot([DinteroAuthModule.forRootAsync({ imports: [OptionsFactoryModule], useExisting: OptionsFactory })]);
    await expectWorkingTokens(moduleRef.get(DinteroTokenService));
  });

  it('is global by default: modules that do not import it inject its services', async () => {
    @Injectable()
    class PaymentsService {
      constructor(readonly tokens: DinteroTokenService) {}
    }
    @Module({ providers: [PaymentsService] })
    class PaymentsModule {}

    for (const registration of [
      DinteroAuthModule.forRoot(fakeOptions(fake)),
      DinteroAuthModule.forRootAsync({ useFactory: () => fakeOptions(fake) }),
    ]) {
      const moduleRef = await boot([registration, PaymentsModule]);
      await expectWorkingTokens(moduleRef.get(PaymentsService).tokens);
    }
  });

  it('with isGlobal: false, a module that does not import it cannot inject the service', async () => {
    @Injectable()
    class PaymentsService {
      constructor(readonly tokens: DinteroTokenService) {}
    }
    @Module({ providers: [PaymentsService] })
    class PaymentsModule {}

    await expect(
      Test.createTestingModule({ imports: [DinteroAuthModule.forRoot({ ...fakeOptions(fake), isGlobal: false }), PaymentsModule] })
        .setLogger(new CaptureLogger())
        .compile(),
    ).rejects.toThrow(/DinteroTokenService/);
  });

  it('invalid options fail start-up with DinteroAuthConfigError, for forRoot and forRootAsync', async () => {
    const bad = { ...fakeOptions(fake), accountId: 'X1' };
    await expect(boot([DinteroAuthModule.forRoot(bad)])).rejects.toBeInstanceOf(DinteroAuthConfigError);
    await expect(boot([DinteroAuthModule.forRootAsync({ useFactory: () => bad })])).rejects.toThrow(/accountId/);
  });

  it('makes no token request until a token is asked for', async () => {
    // On the manual clock, any timer-started fetch would have started inside advance().
    const clock = new ManualClock();
    const app = await startTokenApp(fakeOptions(fake), clock);
    closers.push(() => app.close());
    clock.advance(3_600_000);
    expect(app.tokens.status().refreshing).toBe(false);
    expect(fake.tokenRequestCount).toBe(0);
    await app.tokens.getToken();
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('prefetch fetches during bootstrap', async () => {
    const moduleRef = await boot([DinteroAuthModule.forRoot(fakeOptions(fake, { prefetch: true }))]);
    expect(fake.tokenRequestCount).toBe(1);
    await moduleRef.get(DinteroTokenService).getToken();
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('prefetch fails start-up on bad credentials, naming the status', async () => {
    const options = fakeOptions(fake, { prefetch: true, clientSecret: 'wrong-secret' });
    const failure = boot([DinteroAuthModule.forRoot(options)]);
    await expect(failure).rejects.toBeInstanceOf(DinteroTokenRequestError);
    await expect(failure).rejects.toMatchObject({ status: 401, dinteroCode: 'invalid_client' });
    expect(fake.tokenRequestCount).toBe(1);
  });
});

describe('named registrations', () => {
  it('@InjectDinteroTokens(), @InjectDinteroHttp() and @InjectDinteroAuthInterceptor() without a name mean the unnamed registration', async () => {
    @Injectable()
    class PaymentsService {
      constructor(
        @InjectDinteroTokens() readonly tokens: DinteroTokenService,
        @InjectDinteroHttp() readonly http: DinteroHttpService,
        @InjectDinteroAuthInterceptor() readonly interceptor: DinteroAuthInterceptor,
      ) {}
    }
    const moduleRef = await boot([DinteroAuthModule.forRoot(fakeOptions(fake))], [PaymentsService]);
    const service = moduleRef.get(PaymentsService);
    expect(service.tokens).toBe(moduleRef.get(DinteroTokenService));
    expect(service.http).toBe(moduleRef.get(DinteroHttpService));
    expect(service.interceptor).toBe(moduleRef.get(DinteroAuthInterceptor));
  });

  it('each name has its own tokens, client and interceptor, injectable in modules that do not import it', async () => {
    @Injectable()
    class Marketplace {
      constructor(
        @InjectDinteroTokens('norway') readonly norwayTokens: DinteroTokenService,
        @InjectDinteroHttp('norway') readonly norwayHttp: DinteroHttpService,
        @InjectDinteroAuthInterceptor('norway') readonly norwayInterceptor: DinteroAuthInterceptor,
        @InjectDinteroTokens('sweden') readonly swedenTokens: DinteroTokenService,
        @InjectDinteroAuthInterceptor('sweden') readonly swedenInterceptor: DinteroAuthInterceptor,
      ) {}
    }
    @Module({ providers: [Marketplace] })
    class MarketplaceModule {}
    const moduleRef = await boot([
      DinteroAuthModule.forRoot({ ...fakeOptions(fake), name: 'norway' }),
      DinteroAuthModule.forRootAsync({ name: 'sweden', useFactory: () => fakeOptions(fake) }),
      MarketplaceModule,
    ]);
    const market = moduleRef.get(Marketplace);
    expect(market.norwayTokens).not.toBe(market.swedenTokens);
    expect(market.norwayInterceptor).not.toBe(market.swedenInterceptor);
    expect(moduleRef.get(getDinteroAuthInterceptorToken('norway'))).toBe(market.norwayInterceptor);
    await expectWorkingTokens(market.norwayTokens);
    await expectWorkingTokens(market.swedenTokens);
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('two registrations with one name fail at start-up, naming it', async () => {
    const failure = boot([
      DinteroAuthModule.forRoot({ ...fakeOptions(fake), name: 'norway' }),
      DinteroAuthModule.forRootAsync({ name: 'norway', isGlobal: false, useFactory: () => fakeOptions(fake) }),
    ]);
    await expect(failure).rejects.toBeInstanceOf(DinteroAuthConfigError);
    await expect(failure).rejects.toThrow(/name: "norway" is used by 2 registrations/);
  });

  it('an empty name fails at start-up', async () => {
    await expect(boot([DinteroAuthModule.forRoot({ ...fakeOptions(fake), name: ' ' })])).rejects.toThrow(
      /name: must be a non-empty string/,
    );
  });

  it('two unnamed global registrations fail at start-up; unnamed ones local to their modules do not', async () => {
    await expect(boot([DinteroAuthModule.forRoot(fakeOptions(fake)), DinteroAuthModule.forRoot(fakeOptions(fake))])).rejects.toThrow(
      /2 unnamed global registrations/,
    );

    @Injectable()
    class Local {
      constructor(readonly tokens: DinteroTokenService) {}
    }
    @Module({ imports: [DinteroAuthModule.forRoot({ ...fakeOptions(fake), isGlobal: false })], providers: [Local], exports: [Local] })
    class FirstModule {}
    @Module({
      imports: [DinteroAuthModule.forRoot({ ...fakeOptions(fake), isGlobal: false })],
      providers: [{ provide: 'second', useClass: Local }],
    })
    class SecondModule {}
    const moduleRef = await boot([FirstModule, SecondModule]);
    expect(moduleRef.get(Local).tokens).not.toBe(moduleRef.get<Local>('second').tokens);
  });
});
