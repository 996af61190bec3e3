import { BudgetWaitTooLongError, InMemoryRequestBudget, RedisRequestBudget, type BudgetOptions, type RequestBudget } from '../../libs/throttle/src';
import { drive, sum, useRedis } from './redis-fixture';

// The same behaviour, in real time, from both implementations: the Lua script and gcra.ts must agree.
const redis = useRedis();

const backends: [string, (options: BudgetOptions) => Promise<RequestBudget>][] = [
  ['InMemoryRequestBudget', (options) => Promise.resolve(new InMemoryRequestBudget(options))],
  ['RedisRequestBudget', async (options) => new RedisRequestBudget(await redis.connect(), { ...options, keyPrefix: redis.prefix() })],
];

describe.each(backends)('%s', (_name, make) => {
  it('lets about N a minute through: 600/min, burst 5 → 19 in 1.5 s', async () => {
    const budget = await make({ requestsPerMinute: 600, burst: 5 });
    const counts = await drive([budget], 'p', 6, 1_500);
    // slots at 0 (×5), 100, 200, … 1400 ms: burst + 14
    expect(sum(counts)).toBeLessThanOrEqual(20);
    expect(sum(counts)).toBeGreaterThanOrEqual(17);
  });

  it('holds callers until a pause ends and reports the time left', async () => {
    const budget = await make({ requestsPerMinute: 6_000 });
    await budget.pause('p', 400);
    const left = await budget.pausedFor('p');
    expect(left).toBeGreaterThan(300);
    expect(left).toBeLessThanOrEqual(400);
    const { waitedMs } = await budget.acquire('p');
    expect(waitedMs).toBeGreaterThanOrEqual(left - 20);
    expect(waitedMs).toBeLessThan(left + 150);
  });

  it('keeps partners apart: A paused and queued, B goes at once', async () => {
    const budget = await make({ requestsPerMinute: 60, burst: 1 });
    await budget.pause('a', 5_000);
    await expect(budget.acquire('a', { maxWaitMs: 0 })).rejects.toBeInstanceOf(BudgetWaitTooLongError);
    const b = await budget.acquire('b');
    expect(b.waitedMs).toBeLessThan(50);
    expect(await budget.pausedFor('b')).toBe(0);
  });

  it('refuses beyond maxWaitMs with the expected wait, without taking the slot', async () => {
    const budget = await make({ requestsPerMinute: 60, burst: 1, maxWaitMs: 200 });
    await budget.acquire('p');
    const error = (await budget.acquire('p').catch((e: unknown) => e)) as BudgetWaitTooLongError;
    expect(error).toBeInstanceOf(BudgetWaitTooLongError);
    expect(error.retryAfterMs).toBeGreaterThan(900);
    expect(error.retryAfterMs).toBeLessThanOrEqual(1_000);
    // nothing was booked by the refusal: the next slot is still ~1 s away, not ~2 s
    const again = (await budget.acquire('p').catch((e: unknown) => e)) as BudgetWaitTooLongError;
    expect(again.retryAfterMs).toBeLessThanOrEqual(1_000);
  });

  it('keeps interactiveReserve slots for interactive callers: a click goes when background would have to wait', async () => {
    const budget = await make({ requestsPerMinute: 60, burst: 3, interactiveReserve: 2 });
    await budget.acquire('p'); // background may not run ahead of the schedule: its next slot is ~1 s away
    await expect(budget.acquire('p', { maxWaitMs: 0 })).rejects.toBeInstanceOf(BudgetWaitTooLongError);
    await budget.acquire('p', { maxWaitMs: 0, priority: 'interactive' });
    await budget.acquire('p', { maxWaitMs: 0, priority: 'interactive' });
    // the reserve is used up: interactive waits like anyone, and background is pushed behind it
    await expect(budget.acquire('p', { maxWaitMs: 0, priority: 'interactive' })).rejects.toBeInstanceOf(BudgetWaitTooLongError);
    const late = (await budget.acquire('p', { maxWaitMs: 0 }).catch((e: unknown) => e)) as BudgetWaitTooLongError;
    expect(late.retryAfterMs).toBeGreaterThan(2_500);
  });
});
