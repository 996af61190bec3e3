import { acquireWithSteps, realTiming, type Timing } from './acquire-loop';
import { emptyState, idleAt, pause, pausedFor, reserve, type BucketState } from './gcra';
import { bucketFor, checkPause, checkWait, resolveOptions, type ResolvedOptions } from './params';
import type { AcquireOptions, AcquireResult, BudgetOptions, RequestBudget } from './types';

export interface InMemoryBudgetOptions extends BudgetOptions {
  /** Injected clock and sleep (tests); default performance.now and setTimeout. */
  timing?: Timing;
}

/** How often idle partners are swept from the map. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The same budget for a single process (local mode, tests): the GCRA state lives in a Map, and idle
 * partners are dropped as they would expire in Redis.
 */
export class InMemoryRequestBudget implements RequestBudget {
  private readonly options: ResolvedOptions;
  private readonly timing: Timing;
  private readonly buckets = new Map<string, BucketState>();
  private lastSweep: number;

  constructor(options: InMemoryBudgetOptions = {}) {
    this.options = resolveOptions(options);
    this.timing = options.timing ?? realTiming;
    this.lastSweep = this.timing.now();
  }

  async acquire(partnerId: string, options: AcquireOptions = {}): Promise<AcquireResult> {
    const maxWaitMs = checkWait(options.maxWaitMs ?? this.options.maxWaitMs);
    const bucket = bucketFor(this.options, options.priority);
    return await acquireWithSteps(
      partnerId,
      maxWaitMs,
      (left, heldEpoch) => {
        const now = this.timing.now();
        const { state, reservation } = reserve(this.load(partnerId, now), now, bucket, left, heldEpoch);
        this.buckets.set(partnerId, state);
        return Promise.resolve(reservation);
      },
      this.timing,
    );
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that bad input rejects rather than throws
  async pause(partnerId: string, ms: number): Promise<void> {
    checkPause(ms);
    const now = this.timing.now();
    this.buckets.set(partnerId, pause(this.load(partnerId, now), now, this.options.bucket, ms));
  }

  pausedFor(partnerId: string): Promise<number> {
    const now = this.timing.now();
    const state = this.buckets.get(partnerId);
    return Promise.resolve(state ? pausedFor(state, now) : 0);
  }

  /** Partners currently holding state (idle ones are swept lazily). */
  get size(): number {
    return this.buckets.size;
  }

  private load(partnerId: string, now: number): BucketState {
    this.sweep(now);
    const state = this.buckets.get(partnerId);
    return state && idleAt(state) > now ? state : emptyState(now);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [id, state] of this.buckets) if (idleAt(state) <= now) this.buckets.delete(id);
  }
}
