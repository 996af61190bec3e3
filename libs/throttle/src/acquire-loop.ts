import { BudgetWaitTooLongError } from './errors';
import type { Reservation } from './gcra';
import type { AcquireResult } from './types';

/** One atomic step against the store: book a slot, or confirm one booked earlier (`heldEpoch`). */
export type ReserveStep = (maxWaitMs: number, heldEpoch: number | undefined) => Promise<Reservation>;

export interface Timing {
  /** Monotonic ms, for measuring this caller's own wait. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realTiming: Timing = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Books a slot, sleeps until it, then confirms it (one more step) in case a pause voided it meanwhile;
 * a voided booking is replaced by a new one. An immediate slot costs one step, a waited one two.
 * Waiting is per call: callers for other partners, or other callers of this one, never queue behind it.
 */
export async function acquireWithSteps(partnerId: string, maxWaitMs: number, step: ReserveStep, timing: Timing): Promise<AcquireResult> {
  const started = timing.now();
  let heldEpoch: number | undefined;
  for (;;) {
    const left = Math.max(0, maxWaitMs - (timing.now() - started));
    const r = await step(left, heldEpoch);
    if (!r.granted) throw new BudgetWaitTooLongError(partnerId, r.waitMs, maxWaitMs);
    if (r.waitMs <= 0) return { waitedMs: Math.round(timing.now() - started) };
    await timing.sleep(r.waitMs);
    heldEpoch = r.epoch;
  }
}
