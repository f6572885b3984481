import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, type INestApplication, Module, Param, UseFilters } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost, NestFactory } from '@nestjs/core';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { DinteroAccounts, DinteroAccountsModule, DinteroAuthModule, DinteroExceptionFilter, DinteroHttpService } from '../../lib/index.js';

let fake: FakeDinteroServer;
let elsewhere: Server; // a service that is not Dintero, answering 404 to everything
let elsewhereUrl: string;

@Controller()
class PaymentsController {
  constructor(
    private readonly dintero: DinteroHttpService,
    private readonly accounts: DinteroAccounts,
  ) {}

  @Get('transactions/:id')
  async transaction(@Param('id') id: string): Promise<unknown> {
    return (await firstValueFrom(this.dintero.get(`/transactions/${id}`, { params: { includes: 'card' } }))).data;
  }

  @Get('merchants/:account/transactions/:id')
  async merchantTransaction(@Param('account') account: string, @Param('id') id: string): Promise<unknown> {
    const { http } = await this.accounts.get(account);
    return (await firstValueFrom(http.get(`/transactions/${id}`))).data;
  }

  @Get('elsewhere')
  async elsewhere(): Promise<unknown> {
    return (await axios.get(elsewhereUrl)).data;
  }
}

@UseFilters(DinteroExceptionFilter)
@Controller('filtered')
class FilteredController extends PaymentsController {}

function appModule(filters: 'controller' | 'app' | 'none') {
  const credentials = { clientId: FAKE_DINTERO_CLIENT.clientId, clientSecret: FAKE_DINTERO_CLIENT.clientSecret };
  @Module({
    imports: [
      DinteroAuthModule.forRoot({ ...FAKE_DINTERO_CLIENT, baseUrl: fake.baseUrl, allowInsecureLoopback: true }),
      DinteroAccountsModule.forRoot({
        resolveCredentials: (accountId) => Promise.resolve(accountId === FAKE_DINTERO_CLIENT.accountId ? credentials : undefined),
        baseUrl: fake.baseUrl,
        allowInsecureLoopback: true,
      }),
    ],
    controllers: [filters === 'controller' ? FilteredController : PaymentsController],
    providers: filters === 'app' ? [{ provide: APP_FILTER, useClass: DinteroExceptionFilter }] : [],
  })
  class AppModule {}
  return AppModule;
}

const logger = new CaptureLogger();

async function start(filters: 'controller' | 'app' | 'none' | 'instance'): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(appModule(filters === 'instance' ? 'none' : filters), { logger, abortOnError: false });
  if (filters === 'instance') app.useGlobalFilters(new DinteroExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
  await app.listen(0, '127.0.0.1');
  return { app, url: `${await app.getUrl()}${filters === 'controller' ? '/filtered' : ''}` };
}

interface Answer {
  status: number;
  retryAfter: string | null;
  text: string;
  body: Record<string, unknown>;
}

async function ask(url: string): Promise<Answer> {
  const response = await fetch(url);
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    text,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

function expectNoSecrets(answer: Answer): void {
  expect(answer.text).not.toContain(FAKE_DINTERO_CLIENT.clientSecret);
  expect(answer.text).not.toMatch(/Bearer|eyJ|stack|at .*\.ts/);
}

beforeAll(async () => {
  fake = await new FakeDinteroServer().start();
  elsewhere = createServer((_, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/anything`;
});

afterAll(async () => {
  await fake.stop();
  elsewhere.closeAllConnections();
  await new Promise((resolve) => elsewhere.close(resolve));
});

afterEach(() => fake.clearTokenFaults());

describe('without DinteroExceptionFilter', () => {
  it('answers 500 to an unknown account and to an answer of Dintero (what the filter is for)', async () => {
    const { app, url } = await start('none');
    try {
      expect((await ask(`${url}/merchants/T99999999/transactions/T99999999.x`)).status).toBe(500);
      expect((await ask(`${url}/transactions/${FAKE_DINTERO_CLIENT.accountId}.none`)).status).toBe(500);
    } finally {
      await app.close();
    }
  });
});

describe.each(['controller', 'app', 'instance'] as const)('DinteroExceptionFilter registered on the %s', (filters) => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await start(filters));
  });

  afterAll(() => app.close());

  it('answers 404 to an account the resolver does not know', async () => {
    const answer = await ask(`${url}/merchants/T99999999/transactions/T99999999.x`);
    expect(answer).toMatchObject({
      status: 404,
      retryAfter: null,
      body: { statusCode: 404, error: 'Not Found', code: 'DINTERO_ACCOUNT_NOT_FOUND' },
    });
  });

  it('answers 400 to something that is not an account id, without echoing it', async () => {
    const answer = await ask(`${url}/merchants/${encodeURIComponent('sk_live_0123')}/transactions/x`);
    expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request', code: 'DINTERO_ACCOUNT_ID' } });
    expect(answer.text).not.toContain('sk_live_0123');
  });

  it("passes Dintero's own 4xx on, with its error code and message and nothing else", async () => {
    // The fake, like Dintero's documentation, gives a 404 a message and no code.
    const answer = await ask(`${url}/transactions/${FAKE_DINTERO_CLIENT.accountId}.unknown`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: expect.any(String),
      dintero: { status: 404, message: answer.body.message },
    });
    expectNoSecrets(answer);

    fake.injectApiFault(422, 1, 'invalid_amount', 'The amount is not valid');
    const refused = await ask(`${url}/merchants/${FAKE_DINTERO_CLIENT.accountId}/transactions/${FAKE_DINTERO_CLIENT.accountId}.x`);
    expect(refused.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The amount is not valid',
      dintero: { status: 422, code: 'invalid_amount', message: 'The amount is not valid' },
    });
    expectNoSecrets(refused);
  });

  it("does not pass Dintero's 401 or 5xx on as the caller's: 502", async () => {
    fake.injectApiFault(403, 1, 'forbidden', 'Not allowed');
    expect(await ask(`${url}/transactions/${FAKE_DINTERO_CLIENT.accountId}.x`)).toMatchObject({
      status: 502,
      body: { dintero: { status: 403 } },
    });
    fake.injectApiFault(500, 1);
    expect(await ask(`${url}/transactions/${FAKE_DINTERO_CLIENT.accountId}.x`)).toMatchObject({
      status: 502,
      body: { dintero: { status: 500 } },
    });
  });

  it('logs the call that failed by method, URL without query and account; never a token or a secret', async () => {
    logger.lines.length = 0;
    fake.injectApiFault(500, 1);
    await ask(`${url}/transactions/${FAKE_DINTERO_CLIENT.accountId}.logged`);
    await ask(`${url}/merchants/T99999999/transactions/x`);
    const ours = logger.lines.filter((line) => line.endsWith(' DinteroAuth'));
    expect(ours).toEqual([
      `warn GET ${fake.baseUrl}/transactions/${FAKE_DINTERO_CLIENT.accountId}.logged (account ${FAKE_DINTERO_CLIENT.accountId}): Dintero answered 500; answered 502 DinteroAuth`,
      expect.stringMatching(/^debug DinteroAccountNotFoundError: .*T99999999.*; answered 404 DinteroAuth$/),
    ]);
    for (const line of logger.lines) expect(line).not.toMatch(new RegExp(`includes=|Bearer|eyJ|${FAKE_DINTERO_CLIENT.clientSecret}`));
  });

  it('leaves an axios error of a call that did not go to Dintero to Nest: 500, not its 404', async () => {
    expect((await ask(`${url}/elsewhere`)).status).toBe(500);
  });
});

describe('DinteroExceptionFilter when no token can be had', () => {
  it("answers 503 with the token endpoint's Retry-After", async () => {
    fake.injectTokenFault({ type: 'status', status: 503, retryAfter: 120 }, Number.POSITIVE_INFINITY);
    const { app, url } = await start('app');
    fake.resetCounts();
    try {
      const answer = await ask(`${url}/transactions/${FAKE_DINTERO_CLIENT.accountId}.x`);
      expect(answer).toMatchObject({
        status: 503,
        retryAfter: '120',
        body: { statusCode: 503, error: 'Service Unavailable', code: 'DINTERO_TOKEN_UNAVAILABLE' },
      });
      expectNoSecrets(answer);
      expect(fake.apiRequestCount).toBe(0);
    } finally {
      await app.close();
    }
  });
});
