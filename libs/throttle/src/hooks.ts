import { metrics } from '@cwx/observability';
import { isBudgetWaitTooLong, type BudgetWaitTooLongError } from './errors';
import type { BudgetPriority, RequestBudget } from './types';

export interface BudgetHookOptions {
  /** Per-request wait limit; default: the budget's own. */
  maxWaitMs?: number;
  /** Whose requests these are; default `background` (see `BudgetOptions.interactiveReserve`). */
  priority?: BudgetPriority;
  /** Told when recording a 429 pause failed (Redis down): the hook itself must not throw. */
  onPauseError?: (error: unknown) => void;
}

/** Plugs into the ConnectWise client's `beforeRequest` and `onThrottle` options. */
export interface BudgetHooks {
  beforeRequest: () => Promise<void>;
  onThrottle: (retryAfterMs: number) => void;
  /**
   * The last refusal from `beforeRequest`, or undefined. The ConnectWise client rebuilds hook failures
   * into a ConnectWiseError (kind 'network'), losing the type: after a failed call, check here to tell
   * "budget exhausted, requeue after retryAfterMs" from a real network error. Cleared by the next
   * beforeRequest that succeeds or fails for another reason.
   */
  lastRefusal: () => BudgetWaitTooLongError | undefined;
}

export function budgetHooks(budget: RequestBudget, partnerId: string, options: BudgetHookOptions = {}): BudgetHooks {
  let refusal: BudgetWaitTooLongError | undefined;
  const acquireOptions =
    options.maxWaitMs === undefined && options.priority === undefined
      ? undefined
      : { ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }), ...(options.priority ? { priority: options.priority } : {}) };
  return {
    beforeRequest: async () => {
      try {
        const { waitedMs } = await budget.acquire(partnerId, acquireOptions);
        metrics.budgetWaitSeconds.observe(waitedMs / 1000);
        refusal = undefined;
      } catch (error) {
        refusal = isBudgetWaitTooLong(error) ? error : undefined;
        if (refusal) metrics.budgetRefusals.inc();
        throw error;
      }
    },
    onThrottle: (retryAfterMs) => {
      budget.pause(partnerId, Math.max(0, retryAfterMs)).catch((error: unknown) => options.onPauseError?.(error));
    },
    lastRefusal: () => refusal,
  };
}
