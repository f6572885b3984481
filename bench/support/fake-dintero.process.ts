import { FAKE_DINTERO_CLIENT, FakeDinteroServer, type FakeTokenFault } from 'nestjs-dintero-auth/fake-dintero';
/**
 * The fake Dintero in a process of its own, so that the client under measurement has the
 * benchmark process to itself. Driven over IPC by {@link FakeDinteroProcess}.
 */

export type FakeCommand =
  | { id: number; cmd: 'counts' }
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'lifetime'; seconds: number }
  | { id: number; cmd: 'tokenDelay'; ms: number }
  | { id: number; cmd: 'transaction' }
  | { id: number; cmd: 'tokenFault'; fault: FakeTokenFault }
  | { id: number; cmd: 'clearFaults' }
  | { id: number; cmd: 'addSecret'; secret: string }
  | { id: number; cmd: 'revokeSecret'; secret: string; revokeTokens: boolean }
  | { id: number; cmd: 'stop' };

const fake = await new FakeDinteroServer({ tokenLifetimeSeconds: 3600, recordRequests: false }).start();
process.send!({ ready: true, baseUrl: fake.baseUrl });

// If the benchmark dies, so does its fake.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: FakeCommand) => {
  const reply = (value: unknown) => process.send!({ id: message.id, value });
  switch (message.cmd) {
    case 'counts':
      return reply({ tokenRequests: fake.tokenRequestCount, apiRequests: fake.apiRequestCount, api401: fake.apiStatusCount(401) });
    case 'reset':
      fake.resetCounts();
      return reply(null);
    case 'lifetime':
      fake.tokenLifetimeSeconds = message.seconds;
      return reply(null);
    case 'tokenDelay':
      fake.clearTokenFaults();
      if (message.ms > 0) fake.injectTokenFault({ type: 'delay', ms: message.ms });
      return reply(null);
    case 'transaction': {
      const session = fake.checkout.createSession(FAKE_DINTERO_CLIENT.accountId, {
        profile_id: 'default',
        url: { return_url: 'https://shop.example/return' },
        order: { amount: 10_000, currency: 'NOK', merchant_reference: 'bench' },
      });
      return reply(fake.checkout.authorize(session.id).id);
    }
    case 'tokenFault':
      fake.injectTokenFault(message.fault);
      return reply(null);
    case 'clearFaults':
      fake.clearTokenFaults();
      return reply(null);
    case 'addSecret':
      fake.addClientSecret(FAKE_DINTERO_CLIENT.clientId, message.secret);
      return reply(null);
    case 'revokeSecret':
      fake.revokeClientSecret(FAKE_DINTERO_CLIENT.clientId, message.secret, { revokeTokens: message.revokeTokens });
      return reply(null);
    case 'stop':
      void fake.stop().then(() => {
        reply(null);
        process.disconnect();
      });
  }
});
