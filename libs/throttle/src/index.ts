export type { AcquireOptions, AcquireResult, BudgetOptions, BudgetPriority, RequestBudget } from './types';
export { DEFAULT_BURST, DEFAULT_MAX_WAIT_MS, DEFAULT_REQUESTS_PER_MINUTE } from './types';
export { BudgetWaitTooLongError, isBudgetWaitTooLong } from './errors';
export { InMemoryRequestBudget, type InMemoryBudgetOptions } from './in-memory-budget';
export { RedisRequestBudget, DEFAULT_KEY_PREFIX, type RedisBudgetOptions } from './redis-budget';
export { budgetHooks, type BudgetHookOptions, type BudgetHooks } from './hooks';
export type { Timing } from './acquire-loop';
export { createPartnerBudget, INTERACTIVE_MAX_WAIT_MS, INTERACTIVE_RESERVE, type PartnerBudgetOptions } from './partner-budget';
