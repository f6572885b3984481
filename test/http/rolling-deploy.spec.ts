import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BeforeApplicationShutdown, Controller, Get, Injectable, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import axios from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthInterceptor, DinteroAuthModule, DinteroHttpService } from '../../lib/index.js';
import { BUILT, forkFixture } from '../support/fixture-process.js';
import { eventually, fakeOptions, startFake } from '../support/token-app.js';
import { LoopbackApi } from './support/loopback-api.js';

const IN_FLIGHT = 30;
let fake: FakeDinteroServer;
let api: LoopbackApi;

beforeAll(async () => {
  fake = await startFake();
  api = await new LoopbackApi().start();
});
afterAll(async () => {
  await Promise.all([fake.stop(), api.stop()]);
});

/** Opens once every module's onModuleDestroy has run: what follows happens while the HTTP server drains. */
@Injectable()
class DrainGate implements BeforeApplicationShutdown {
  arrived = 0;
  private open!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.open = resolve));

  beforeApplicationShutdown(): void {
    this.open();
  }
}

@Controller()
class PaymentController {
  private readonly client = axios.create();

  constructor(
    private readonly http: DinteroHttpService,
    interceptor: DinteroAuthInterceptor,
    private readonly gate: DrainGate,
  ) {
    interceptor.attach(this.client);
  }

  @Get('pay/:via')
  async pay(@Param('via') via: string): Promise<{ status: number }> {
    this.gate.arrived += 1;
    await this.gate.opened;
    const url = `${api.origin()}/v1/pay`;
    const response = via === 'service' ? await firstValueFrom(this.http.get(url)) : await this.client.get(url);
    return { status: response.status };
  }
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('a rolling deploy', () => {
  it(`app.close() with ${IN_FLIGHT} requests in flight: all of them reach Dintero with the token, through DinteroHttpService and an attached instance`, async () => {
    @Module({
      imports: [DinteroAuthModule.forRoot(fakeOptions(fake, { prefetch: true, apiOrigins: [api.origin()] }))],
      controllers: [PaymentController],
      providers: [DrainGate],
    })
    class ShopModule {}
    const app = await NestFactory.create(ShopModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const gate = app.get(DrainGate);

    const answers = Array.from({ length: IN_FLIGHT }, (_, index) => get(port, `/pay/${index % 2 === 0 ? 'service' : 'attached'}`));
    await eventually(() => gate.arrived === IN_FLIGHT, 10_000, 'every request in the handler');
    const closed = app.close();
    expect(await Promise.all(answers)).toEqual(Array.from({ length: IN_FLIGHT }, () => 200));
    await closed;
    expect(api.received).toHaveLength(IN_FLIGHT);
    expect(api.received.every((request) => request.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it.skipIf(!BUILT)('after app.close(), the keep-alive sockets and deadline timers of both clients let the process exit', async () => {
    const child: ChildProcess = forkFixture('calls-then-exit.mjs', fake);
    const messages: unknown[] = [];
    child.on('message', (message) => messages.push(message));
    const exitCode = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(null);
      }, 10_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    expect(messages).toEqual(['statuses:200,200']);
    expect(exitCode, 'the child was still alive 10 s after app.close()').toBe(0);
  });
});
