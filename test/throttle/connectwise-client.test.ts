import { CodebaseCache, ConnectWiseClient, type ConnectWiseClientOptions } from '@cwx/connectwise';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { RedisRequestBudget, budgetHooks, type BudgetHooks } from '../../libs/throttle/src';
import { useRedis } from './redis-fixture';
import { DestinationPolicy } from '@cwx/outbound';

// The hooks plugged into the real ConnectWise client, two "workers" of one partner against the simulator.
const redis = useRedis();
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ host: '127.0.0.1', port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.resetRequests());

async function worker(options: { maxWaitMs?: number; client?: Partial<ConnectWiseClientOptions> } = {}): Promise<{ client: ConnectWiseClient; hooks: BudgetHooks }> {
  const budget = new RedisRequestBudget(await redis.connect(), { keyPrefix: redis.prefix() });
  const hooks = budgetHooks(budget, 'partner-1', { maxWaitMs: options.maxWaitMs });
  const client = new ConnectWiseClient(
    { site: sim.host, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' },
    {
      clientId: '0e4b8f8e-6d7a-4c41-9a5e-3f0c2b1d9a77',
      extraAllowedOrigins: [sim.baseUrl],
      destinations: new DestinationPolicy({ allowPrivate: true }), // the simulator listens on loopback
      codebase: 'v2025_1/',
      codebaseCache: new CodebaseCache(),
      requestTimeoutMs: 2_000,
      retryBaseDelayMs: 5,
      beforeRequest: hooks.beforeRequest,
      onThrottle: hooks.onThrottle,
      ...options.client,
    },
  );
  return { client, hooks };
}

describe('budgetHooks in the ConnectWise client', () => {
  it("one worker's 429 makes the other wait out the Retry-After before sending", async () => {
    const a = await worker();
    const b = await worker();
    sim.failNext({ count: 1, method: 'GET', path: /system\/info/, status: 429, headers: { 'Retry-After': '1' } });
    const started = performance.now();
    const first = a.client.system.info();
    // B starts once A's 429 has paused the partner (polled, not a fixed sleep: a loaded machine may take
    // longer than any fixed delay to deliver the 429).
    const probe = new RedisRequestBudget(await redis.connect(), { keyPrefix: redis.prefix() });
    while ((await probe.pausedFor('partner-1')) <= 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await b.client.system.info();
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    await first;
    expect(sim.countRequests({ path: /system\/info/ })).toBe(3); // the 429, then one each after the pause
  });

  it('a pause longer than maxWaitMs fails the call without sending it, and says so', async () => {
    const a = await worker({ client: { maxRetries: 0 } });
    const b = await worker({ maxWaitMs: 1_000 });
    sim.failNext({ count: 1, method: 'GET', path: /system\/info/, status: 429, headers: { 'Retry-After': '30' } });
    await expect(a.client.system.info()).rejects.toMatchObject({ kind: 'throttled' });
    // onThrottle records the pause in the background: wait until it is there.
    const probe = new RedisRequestBudget(await redis.connect(), { keyPrefix: redis.prefix() });
    while ((await probe.pausedFor('partner-1')) <= 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    await expect(b.client.system.info()).rejects.toMatchObject({ name: 'ConnectWiseError' });
    expect(performance.now() - started).toBeLessThan(200);
    expect(b.hooks.lastRefusal()?.retryAfterMs).toBeGreaterThan(29_000);
    expect(sim.countRequests({ path: /system\/info/ })).toBe(1);
  });
});
