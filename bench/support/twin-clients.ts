import { HttpService } from '@nestjs/axios';
import axios, { type AxiosAdapter, type AxiosInstance } from 'axios';
import { Agent } from 'node:http';
import { DinteroAuthInterceptor } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';
import type { Call } from './cpu-per-call.js';
import { FakeDinteroProcess } from './fake-dintero.client.js';
import { type OurClient, startOurClient } from './our-client.js';

/** One way into the API through this module, and the same call with a static header. */
export interface TwinPair {
  readonly name: string;
  readonly ours: Call;
  readonly twin: Call;
}

export const PROMISE_PATH = 'promise: axiosRef vs axios';
export const OBSERVABLE_PATH = 'Observable: DinteroHttpService vs HttpService';
export const STUB_PATH = 'attach point alone (stub adapter, no network)';
export const CONTROL_PATH = 'control: axios vs axios, both static (A/A)';

/** A fake Dintero of its own (in a child process), this module in front of it, and the twins. */
export class TwinClients {
  private constructor(
    readonly fake: FakeDinteroProcess,
    readonly ours: OurClient,
    readonly pairs: readonly TwinPair[],
    private readonly agents: Agent[],
  ) {}

  static async start(): Promise<TwinClients> {
    const fake = await FakeDinteroProcess.start();
    const transactionId = await fake.send<string>({ cmd: 'transaction' });
    const ours = await startOurClient(fake.baseUrl, fake.client);
    const token = await ours.tokens.getAccessToken();

    // The twin: the module's headers with the token as a fixed header, on a keep-alive agent like the module's own.
    const moduleHeaders = Object.fromEntries(
      Object.entries(ours.http.axiosRef.defaults.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const agents: Agent[] = [];
    const staticAxios = (): AxiosInstance => {
      const agent = new Agent({ keepAlive: true, timeout: 30_000, scheduling: 'lifo' });
      agents.push(agent);
      return axios.create({
        baseURL: fake.baseUrl,
        proxy: false,
        httpAgent: agent,
        headers: { ...moduleHeaders, Authorization: `Bearer ${token}` },
      });
    };
    const staticClient = staticAxios();
    // The same client twice: what the measure reads when there is no difference to find.
    const staticAgain = staticAxios();
    const staticService = new HttpService(staticClient);
    const path = `/transactions/${transactionId}`;

    // The attach point's own cost, without sockets: both instances answer from a stub adapter,
    // ours wrapped as the module wraps its own instance (token, redaction, deadline).
    const stub: AxiosAdapter = (config) => Promise.resolve({ data: {}, status: 200, statusText: 'OK', headers: {}, config, request: {} });
    const stubStatic = axios.create({
      baseURL: fake.baseUrl,
      adapter: stub,
      headers: { ...moduleHeaders, Authorization: `Bearer ${token}` },
    });
    const stubOurs = axios.create({ baseURL: fake.baseUrl, adapter: stub, headers: moduleHeaders });
    // protect() is internal (stripped from the published types): the module's own wiring, reached here on purpose.
    type Protect = { protect(instance: AxiosInstance, options: { deadlineMs: number }): void };
    ours.app.get<DinteroAuthInterceptor, Protect>(DinteroAuthInterceptor).protect(stubOurs, { deadlineMs: 30_000 });

    const pairs: TwinPair[] = [
      { name: PROMISE_PATH, ours: () => ours.http.axiosRef.get(path), twin: () => staticClient.get(path) },
      {
        name: OBSERVABLE_PATH,
        ours: () => firstValueFrom(ours.http.get(path)),
        twin: () => firstValueFrom(staticService.get(path)),
      },
      { name: STUB_PATH, ours: () => stubOurs.get(path), twin: () => stubStatic.get(path) },
      { name: CONTROL_PATH, ours: () => staticAgain.get(path), twin: () => staticClient.get(path) },
    ];
    return new TwinClients(fake, ours, pairs, agents);
  }

  pair(name: string): TwinPair {
    return this.pairs.find((pair) => pair.name === name)!;
  }

  async stop(): Promise<void> {
    for (const agent of this.agents) agent.destroy();
    await this.ours.app.close();
    await this.fake.stop();
  }
}
