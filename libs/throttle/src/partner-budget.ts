import type { Redis } from 'ioredis';
import { InMemoryRequestBudget } from './in-memory-budget';
import { RedisRequestBudget } from './redis-budget';
import { DEFAULT_BURST, type RequestBudget } from './types';

/**
 * Of the burst of 10, the slots only interactive calls (a person clicking in the panel) may use. An export
 * keeps about one ConnectWise call in flight per account job, and the run window holds 8 account jobs of a
 * run at once, so up to 8 export calls wait for a slot at any time: a click goes ahead of all of them.
 */
export const INTERACTIVE_RESERVE = 8;

/** An interactive call waits at most this long for its slot (a 429 pause is the usual reason); then it is refused. */
export const INTERACTIVE_MAX_WAIT_MS = 10_000;

export interface PartnerBudgetOptions {
  /** ConnectWise calls a minute per partner, every process together (`CW_BUDGET_PER_MINUTE`). */
  requestsPerMinute: number;
  /** Fleet mode: the budget lives in Redis, shared by every worker and control-plane replica. */
  redis?: Redis;
  /** Prefix of the Redis keys (`CW_BUDGET_KEY_PREFIX`); default `cwx:throttle:`. */
  keyPrefix?: string;
}

/**
 * The product's one request budget per partner, which every ConnectWise call of that partner draws from:
 * the workers' export calls (`background`) and the control plane's interactive ones (`interactive`). Each
 * process builds it here, so the same options (and, in fleet mode, the same keys) apply everywhere.
 */
export function createPartnerBudget(options: PartnerBudgetOptions): RequestBudget {
  const budget = { requestsPerMinute: options.requestsPerMinute, burst: DEFAULT_BURST, interactiveReserve: INTERACTIVE_RESERVE };
  if (!options.redis) return new InMemoryRequestBudget(budget);
  return new RedisRequestBudget(options.redis, { ...budget, ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}) });
}
