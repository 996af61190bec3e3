import { DEFAULT_BURST, DEFAULT_MAX_WAIT_MS, DEFAULT_REQUESTS_PER_MINUTE, type BudgetOptions, type BudgetPriority } from './types';

/** The bucket in the units the algorithm works in. */
export interface BucketParams {
  /** Time one request costs: 60 000 / requestsPerMinute. */
  intervalMs: number;
  /** How far ahead of the steady schedule a request may run: (burst − 1) × interval. */
  toleranceMs: number;
}

export interface ResolvedOptions {
  /** The whole bucket: what interactive callers and pauses use. */
  bucket: BucketParams;
  /** The bucket background callers see: the same interval, `interactiveReserve` fewer requests of tolerance. */
  background: BucketParams;
  maxWaitMs: number;
}

export function resolveOptions(options: BudgetOptions = {}): ResolvedOptions {
  const rpm = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const burst = options.burst ?? DEFAULT_BURST;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  if (!Number.isFinite(rpm) || rpm <= 0) throw new RangeError(`requestsPerMinute must be a positive number, got ${rpm}`);
  if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`burst must be an integer ≥ 1, got ${burst}`);
  const reserve = options.interactiveReserve ?? 0;
  if (!Number.isInteger(reserve) || reserve < 0 || reserve >= burst) throw new RangeError(`interactiveReserve must be an integer from 0 to burst − 1 (${burst - 1}), got ${reserve}`);
  const intervalMs = 60_000 / rpm;
  return {
    bucket: { intervalMs, toleranceMs: (burst - 1) * intervalMs },
    background: { intervalMs, toleranceMs: (burst - 1 - reserve) * intervalMs },
    maxWaitMs: checkWait(maxWaitMs),
  };
}

/** The bucket a caller of this priority books against (one state, two tolerances). */
export function bucketFor(options: ResolvedOptions, priority: BudgetPriority = 'background'): BucketParams {
  return priority === 'interactive' ? options.bucket : options.background;
}

/** A wait limit: ≥ 0, Infinity allowed. */
export function checkWait(ms: number): number {
  if (Number.isNaN(ms) || ms < 0) throw new RangeError(`maxWaitMs must be ≥ 0, got ${ms}`);
  return ms;
}

/** A pause length: finite and ≥ 0 (a negative or NaN Retry-After is a caller bug). */
export function checkPause(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`pause must be a finite number of ms ≥ 0, got ${ms}`);
  return ms;
}
