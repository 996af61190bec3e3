import { BudgetWaitTooLongError } from './errors';
import { budgetHooks } from './hooks';
import type { RequestBudget } from './types';

function fakeBudget(overrides: Partial<RequestBudget> = {}): jest.Mocked<RequestBudget> {
  return {
    acquire: jest.fn().mockResolvedValue({ waitedMs: 0 }),
    pause: jest.fn().mockResolvedValue(undefined),
    pausedFor: jest.fn().mockResolvedValue(0),
    ...overrides,
  } as jest.Mocked<RequestBudget>;
}

describe('budgetHooks', () => {
  it('beforeRequest takes a token of the partner, with the hook’s wait limit when given', async () => {
    const budget = fakeBudget();
    await budgetHooks(budget, 'p1').beforeRequest();
    await budgetHooks(budget, 'p2', { maxWaitMs: 250 }).beforeRequest();
    expect(budget.acquire.mock.calls).toEqual([['p1', undefined], ['p2', { maxWaitMs: 250 }]]);
  });

  it('onThrottle pauses the whole partner for the announced wait', () => {
    const budget = fakeBudget();
    budgetHooks(budget, 'p1').onThrottle(7_000);
    expect(budget.pause).toHaveBeenCalledWith('p1', 7_000);
  });

  it('onThrottle never throws, and reports a failed pause', async () => {
    const failure = new Error('redis down');
    const budget = fakeBudget({ pause: jest.fn().mockRejectedValue(failure) });
    const onPauseError = jest.fn();
    expect(() => budgetHooks(budget, 'p1', { onPauseError }).onThrottle(1_000)).not.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    expect(onPauseError).toHaveBeenCalledWith(failure);
    // without a listener the rejection is swallowed, not left unhandled
    expect(() => budgetHooks(budget, 'p1').onThrottle(1_000)).not.toThrow();
  });

  it('remembers the last refusal until a request gets through', async () => {
    const refusal = new BudgetWaitTooLongError('p1', 30_000, 10_000);
    const budget = fakeBudget({ acquire: jest.fn().mockRejectedValueOnce(refusal).mockResolvedValue({ waitedMs: 0 }) });
    const hooks = budgetHooks(budget, 'p1');
    await expect(hooks.beforeRequest()).rejects.toBe(refusal);
    expect(hooks.lastRefusal()).toBe(refusal);
    await hooks.beforeRequest();
    expect(hooks.lastRefusal()).toBeUndefined();
  });

  it('does not take other failures for a refusal', async () => {
    const budget = fakeBudget({ acquire: jest.fn().mockRejectedValue(new Error('redis down')) });
    const hooks = budgetHooks(budget, 'p1');
    await expect(hooks.beforeRequest()).rejects.toThrow('redis down');
    expect(hooks.lastRefusal()).toBeUndefined();
  });
});
