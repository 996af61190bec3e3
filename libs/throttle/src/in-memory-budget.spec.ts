import { BudgetWaitTooLongError } from './errors';
import { InMemoryRequestBudget } from './in-memory-budget';

// Fake timers fake performance.now and setTimeout, so these run in virtual time.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Starts `n` acquires at once and records the virtual time each one resolves. */
function startMany(budget: InMemoryRequestBudget, partnerId: string, n: number): number[] {
  const t0 = performance.now();
  const done: number[] = [];
  for (let i = 0; i < n; i++) {
    void budget.acquire(partnerId, { maxWaitMs: Infinity }).then(() => done.push(Math.round(performance.now() - t0)));
  }
  return done;
}

describe('InMemoryRequestBudget', () => {
  it('spaces requests one interval apart after the burst', async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 600, burst: 2 });
    const done = startMany(budget, 'p', 6);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(done).toEqual([0, 0, 100, 200, 300, 400]);
  });

  it('lets about N through per minute at N a minute', async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 900, burst: 10 });
    const done = startMany(budget, 'p', 2_000);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(done.filter((t) => t < 60_000)).toHaveLength(909); // burst 10 at t=0, then one every 66.7 ms
  });

  it('reports how long the caller waited', async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 600, burst: 1 });
    await budget.acquire('p');
    const second = budget.acquire('p');
    await jest.advanceTimersByTimeAsync(100);
    await expect(second).resolves.toEqual({ waitedMs: 100 });
  });

  it('throws BudgetWaitTooLongError at once when the slot is beyond maxWaitMs, reserving nothing', async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 60, burst: 1, maxWaitMs: 500 });
    await budget.acquire('p');
    const error = await budget.acquire('p').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetWaitTooLongError);
    expect(error).toMatchObject({ partnerId: 'p', retryAfterMs: 1_000, maxWaitMs: 500 });
    // the refused call did not take the slot: a patient caller gets it after 1 s, not 2 s
    const patient = budget.acquire('p', { maxWaitMs: 5_000 });
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(patient).resolves.toEqual({ waitedMs: 1_000 });
  });

  it('holds every caller of the partner until a pause ends', async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 600, burst: 5 });
    await budget.pause('p', 3_000);
    expect(await budget.pausedFor('p')).toBe(3_000);
    const done = startMany(budget, 'p', 3);
    await jest.advanceTimersByTimeAsync(2_999);
    expect(done).toEqual([]);
    await jest.advanceTimersByTimeAsync(300);
    expect(done).toEqual([3_000, 3_100, 3_200]);
    expect(await budget.pausedFor('p')).toBe(0);
  });

  it('re-books a caller that was already waiting for its slot when the pause came', async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 600, burst: 1 });
    await budget.acquire('p');
    const waiting = budget.acquire('p'); // booked for +100 ms
    await jest.advanceTimersByTimeAsync(50);
    await budget.pause('p', 2_000);
    await jest.advanceTimersByTimeAsync(2_100);
    await expect(waiting).resolves.toEqual({ waitedMs: 2_050 });
  });

  it('sends a pause longer than maxWaitMs back with the time left', async () => {
    const budget = new InMemoryRequestBudget();
    await budget.pause('p', 30_000);
    await expect(budget.acquire('p', { maxWaitMs: 10_000 })).rejects.toMatchObject({ retryAfterMs: 30_000 });
  });

  it("never slows one partner for another's pause or queue", async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 60, burst: 1 });
    await budget.pause('a', 60_000);
    startMany(budget, 'a', 5);
    await expect(budget.acquire('b')).resolves.toEqual({ waitedMs: 0 });
    expect(await budget.pausedFor('b')).toBe(0);
  });

  it('forgets idle partners', async () => {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 600 });
    await budget.acquire('a');
    await budget.pause('b', 1_000);
    expect(budget.size).toBe(2);
    await jest.advanceTimersByTimeAsync(61_000);
    await budget.acquire('c');
    expect(budget.size).toBe(1);
  });

  it('rejects nonsense pauses and wait limits', async () => {
    const budget = new InMemoryRequestBudget();
    await expect(budget.pause('p', -1)).rejects.toThrow(RangeError);
    await expect(budget.pause('p', Infinity)).rejects.toThrow(RangeError);
    await expect(budget.acquire('p', { maxWaitMs: NaN })).rejects.toThrow(RangeError);
  });
});
