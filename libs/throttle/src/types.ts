/** What `acquire` hands back once the caller may send its request. */
export interface AcquireResult {
  /** How long this call waited (token wait, pause wait and Redis round trips), in ms. */
  waitedMs: number;
}

export interface AcquireOptions {
  /**
   * The longest this call may wait. When the wait would be longer, `acquire` throws a
   * `BudgetWaitTooLongError` at once (nothing reserved) so the job can go back to the broker.
   */
  maxWaitMs?: number;
  /**
   * Whose request this is. `interactive` (a person waiting on a click) may go ahead of the partner's
   * `background` traffic (exports) by `interactiveReserve` requests; default `background`.
   */
  priority?: BudgetPriority;
}

export type BudgetPriority = 'background' | 'interactive';

/** A per-partner request budget shared by every caller of the same backing store. */
export interface RequestBudget {
  /** Resolves when one request for this partner may be sent. */
  acquire(partnerId: string, options?: AcquireOptions): Promise<AcquireResult>;
  /** Nobody sends for this partner for `ms` from now (longer pauses win; shorter ones are ignored). */
  pause(partnerId: string, ms: number): Promise<void>;
  /** Milliseconds left of the partner's pause; 0 when not paused. */
  pausedFor(partnerId: string): Promise<number>;
}

export interface BudgetOptions {
  /** Steady rate per partner; default 900 (ConnectWise starts throttling around 1,000 a minute). */
  requestsPerMinute?: number;
  /** Requests a rested partner may send back to back; default 10. Any 60 s window sees at most rate + burst. */
  burst?: number;
  /** Default for `acquire`'s `maxWaitMs`; 10 000 ms. */
  maxWaitMs?: number;
  /**
   * Of the burst, how many requests only `interactive` callers may use: background callers run at most
   * `burst − interactiveReserve` ahead of the steady schedule, interactive ones `burst`, so a click finds up
   * to this many slots free however busy an export keeps the partner. The rate and the bound on any
   * window (rate + burst) are the same for both. Default 0 (no priority); must be below `burst`.
   */
  interactiveReserve?: number;
}

export const DEFAULT_REQUESTS_PER_MINUTE = 900;
export const DEFAULT_BURST = 10;
export const DEFAULT_MAX_WAIT_MS = 10_000;
