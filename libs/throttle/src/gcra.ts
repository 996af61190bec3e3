import type { BucketParams } from './params';

/**
 * One partner's bucket as GCRA (the "virtual scheduling" form of a token bucket): instead of a token
 * count it keeps `tat`, the time the bucket would be full again. A request may go at
 * `max(now, tat − tolerance, pauseUntil)` and moves `tat` one interval on. Booking a slot in the future
 * is a reservation: the caller sleeps until its slot instead of asking again.
 *
 * `redis-script.ts` is the same arithmetic in Lua; keep the two in step (the contract tests run both).
 */
export interface BucketState {
  tat: number;
  pauseUntil: number;
  /** Bumped by every pause that extends the current one; reservations from an older epoch are void. */
  epoch: number;
}

export type Reservation = { granted: true; waitMs: number; epoch: number } | { granted: false; waitMs: number };

/** How long a bucket lingers after it has refilled and its pause has ended. */
export const IDLE_GRACE_MS = 1_000;

export function emptyState(now: number): BucketState {
  return { tat: now, pauseUntil: 0, epoch: 0 };
}

/**
 * Books the next slot, unless it is more than `maxWaitMs` away (then nothing changes).
 * With `heldEpoch` (a caller waking from a reservation) the booking stands if no pause came since;
 * otherwise the caller books again like a new one.
 */
export function reserve(
  state: BucketState,
  now: number,
  bucket: BucketParams,
  maxWaitMs: number,
  heldEpoch?: number,
): { state: BucketState; reservation: Reservation } {
  if (heldEpoch !== undefined && heldEpoch === state.epoch) {
    return { state, reservation: { granted: true, waitMs: 0, epoch: state.epoch } };
  }
  const slot = Math.max(now, state.tat - bucket.toleranceMs, state.pauseUntil);
  const waitMs = Math.ceil(slot - now);
  if (slot - now > maxWaitMs) return { state, reservation: { granted: false, waitMs } };
  const next = { ...state, tat: Math.max(state.tat, slot) + bucket.intervalMs };
  return { state: next, reservation: { granted: true, waitMs, epoch: state.epoch } };
}

/**
 * Pauses the partner until `now + ms` if that is later than the current pause: bumps the epoch (voiding
 * every outstanding reservation) and empties the bucket, so sending resumes one interval at a time
 * after the pause rather than with a burst.
 */
export function pause(state: BucketState, now: number, bucket: BucketParams, ms: number): BucketState {
  const until = now + ms;
  if (until <= state.pauseUntil) return state;
  return { tat: until + bucket.toleranceMs, pauseUntil: until, epoch: state.epoch + 1 };
}

export function pausedFor(state: BucketState, now: number): number {
  return Math.max(0, Math.ceil(state.pauseUntil - now));
}

/** When the state carries no information any more (full bucket, no pause) and can be dropped. */
export function idleAt(state: BucketState): number {
  return Math.max(state.tat, state.pauseUntil) + IDLE_GRACE_MS;
}
