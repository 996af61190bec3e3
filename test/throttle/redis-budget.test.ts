import Redis from 'ioredis';
import { RedisRequestBudget, budgetHooks } from '../../libs/throttle/src';
import { drive, sum, useRedis } from './redis-fixture';

const redis = useRedis();

/** Two budgets on two connections: two worker processes as far as Redis can tell. */
async function twoWorkers(options: ConstructorParameters<typeof RedisRequestBudget>[1] = {}): Promise<[RedisRequestBudget, RedisRequestBudget]> {
  const keyPrefix = redis.prefix();
  return [new RedisRequestBudget(await redis.connect(), { ...options, keyPrefix }), new RedisRequestBudget(await redis.connect(), { ...options, keyPrefix })];
}

describe('RedisRequestBudget across processes', () => {
  it('two workers together stay under the budget, and both get a share', async () => {
    const workers = await twoWorkers({ requestsPerMinute: 600, burst: 5 });
    const counts = await drive(workers, 'p', 4, 1_500);
    const perWorker = [sum(counts.slice(0, 4)), sum(counts.slice(4))];
    expect(sum(perWorker)).toBeLessThanOrEqual(20); // 5 + 14 slots in 1.5 s, one spare for timing
    expect(sum(perWorker)).toBeGreaterThanOrEqual(17);
    expect(Math.min(...perWorker)).toBeGreaterThanOrEqual(6);
  });

  it('a pause set by one worker holds the other, including a caller already booked', async () => {
    const [one, other] = await twoWorkers({ requestsPerMinute: 600, burst: 1 });
    await other.acquire('p');
    const booked = other.acquire('p'); // its slot is ~100 ms away
    await new Promise((resolve) => setTimeout(resolve, 20));
    await one.pause('p', 500);
    expect(await other.pausedFor('p')).toBeGreaterThan(400);
    const { waitedMs } = await booked;
    expect(waitedMs).toBeGreaterThanOrEqual(500);
    expect(waitedMs).toBeLessThan(700);
  });

  it('the pause comes from the 429 hook of one worker and is honoured by the hooks of another', async () => {
    const [one, other] = await twoWorkers();
    const first = budgetHooks(one, 'p');
    const second = budgetHooks(other, 'p', { maxWaitMs: 1_000 });
    first.onThrottle(30_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(second.beforeRequest()).rejects.toMatchObject({ name: 'BudgetWaitTooLongError' });
    expect(second.lastRefusal()?.retryAfterMs).toBeGreaterThan(29_000);
    await expect(budgetHooks(other, 'q').beforeRequest()).resolves.toBeUndefined();
  });

  it('a shorter pause does not cut a longer one short', async () => {
    const [one, other] = await twoWorkers();
    await one.pause('p', 10_000);
    await other.pause('p', 1_000);
    expect(await one.pausedFor('p')).toBeGreaterThan(9_000);
  });
});

describe('RedisRequestBudget keys', () => {
  it('keeps one hash per partner under the prefix, expiring once refilled (+1 s)', async () => {
    const [budget] = await twoWorkers({ requestsPerMinute: 600, burst: 3 });
    const conn = await redis.connect();
    for (let i = 0; i < 5; i++) await budget.acquire('p'); // tat ends ~300 ms ahead
    await budget.acquire('other');
    expect((await redis.keys()).sort()).toEqual([budget.keyFor('other'), budget.keyFor('p')].sort());
    const ttl = await conn.pttl(budget.keyFor('p'));
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(1_300);
    expect(await conn.pttl(budget.keyFor('other'))).toBeLessThanOrEqual(1_100);
  });

  it('a pause keeps its key alive until the pause is over, then it goes', async () => {
    const [budget] = await twoWorkers({ requestsPerMinute: 60_000, burst: 1 });
    const conn = await redis.connect();
    await budget.pause('p', 200);
    const ttl = await conn.pttl(budget.keyFor('p'));
    expect(ttl).toBeGreaterThan(1_100);
    expect(ttl).toBeLessThanOrEqual(1_200);
    await new Promise((resolve) => setTimeout(resolve, ttl + 50));
    expect(await conn.exists(budget.keyFor('p'))).toBe(0);
  });

  it('loads the script itself when Redis does not have it cached (NOSCRIPT)', async () => {
    const conn = await redis.connect();
    const budget = new RedisRequestBudget(conn, { keyPrefix: redis.prefix() });
    const evalsha = jest.spyOn(conn, 'evalsha').mockRejectedValueOnce(new Error('NOSCRIPT No matching script.'));
    const evalSpy = jest.spyOn(conn, 'eval');
    await expect(budget.acquire('p')).resolves.toEqual({ waitedMs: expect.any(Number) });
    expect(evalsha).toHaveBeenCalledTimes(1);
    expect(evalSpy).toHaveBeenCalledTimes(1);
    evalsha.mockRestore();
    evalSpy.mockRestore();
  });

  it('fails closed when Redis is unreachable (the request is not sent)', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    down.on('error', () => undefined);
    const budget = new RedisRequestBudget(down);
    await expect(budget.acquire('p')).rejects.toThrow();
    down.disconnect();
  });
});
