import fc from 'fast-check';
import { emptyState, idleAt, IDLE_GRACE_MS, pause, pausedFor, reserve, type BucketState } from './gcra';
import { bucketFor, resolveOptions } from './params';

// 600 a minute = one every 100 ms; burst 3 = 200 ms of tolerance.
const { bucket } = resolveOptions({ requestsPerMinute: 600, burst: 3 });
const T0 = 1_700_000_000_000;

/** Books `n` slots at time `now` with unlimited wait; returns the waits and the final state. */
function book(state: BucketState, now: number, n: number): { waits: number[]; state: BucketState } {
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = reserve(state, now, bucket, Infinity);
    if (!r.reservation.granted) throw new Error('refused');
    waits.push(r.reservation.waitMs);
    state = r.state;
  }
  return { waits, state };
}

describe('gcra reserve', () => {
  it('lets a rested bucket send its burst at once, then one per interval', () => {
    expect(book(emptyState(T0), T0, 6).waits).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('refills with time: after 250 ms, two more go at once', () => {
    const { state } = book(emptyState(T0), T0, 3);
    expect(book(state, T0 + 250, 3).waits).toEqual([0, 0, 50]);
  });

  it('never carries more than the burst, however long the bucket rested', () => {
    const { state } = book(emptyState(T0), T0, 1);
    expect(book(state, T0 + 3_600_000, 4).waits).toEqual([0, 0, 0, 100]);
  });

  it('refuses a slot further away than maxWaitMs and changes nothing', () => {
    const { state } = book(emptyState(T0), T0, 5); // next slot at +300
    const r = reserve(state, T0, bucket, 299);
    expect(r.reservation).toEqual({ granted: false, waitMs: 300 });
    expect(r.state).toBe(state);
    expect(reserve(state, T0, bucket, 300).reservation).toEqual({ granted: true, waitMs: 300, epoch: 0 });
  });

  it('admits at most burst + W / interval requests in any window of W ms (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 3000 }), (gaps, windowMs) => {
        let state = emptyState(T0);
        let now = T0;
        const sent: number[] = [];
        for (const gap of gaps) {
          now += gap;
          const r = reserve(state, now, bucket, Infinity);
          if (!r.reservation.granted) return false;
          state = r.state;
          sent.push(now + r.reservation.waitMs);
        }
        sent.sort((a, b) => a - b);
        const limit = 3 + Math.floor(windowMs / 100);
        for (let i = 0; i < sent.length; i++) {
          const inWindow = sent.filter((t) => t >= sent[i] && t < sent[i] + windowMs).length;
          if (inWindow > limit) return false;
        }
        return true;
      }),
    );
  });
});

describe('gcra pause', () => {
  it('holds every slot until the pause ends, then resumes one interval at a time (no burst)', () => {
    const state = pause(emptyState(T0), T0, bucket, 5_000);
    expect(pausedFor(state, T0 + 1_000)).toBe(4_000);
    expect(book(state, T0 + 1_000, 3).waits).toEqual([4_000, 4_100, 4_200]);
  });

  it('keeps the longer of two pauses and bumps the epoch only when extended', () => {
    const first = pause(emptyState(T0), T0, bucket, 5_000);
    expect(first.epoch).toBe(1);
    expect(pause(first, T0 + 1_000, bucket, 2_000)).toBe(first);
    const longer = pause(first, T0 + 1_000, bucket, 10_000);
    expect(longer).toMatchObject({ pauseUntil: T0 + 11_000, epoch: 2 });
  });

  it('is over after its time', () => {
    const state = pause(emptyState(T0), T0, bucket, 5_000);
    expect(pausedFor(state, T0 + 5_000)).toBe(0);
    expect(pausedFor(state, T0 + 9_000)).toBe(0);
  });
});

describe('gcra confirmation of a booking', () => {
  it('stands when no pause came since', () => {
    const booked = reserve(emptyState(T0), T0, bucket, Infinity);
    if (!booked.reservation.granted) throw new Error('refused');
    const confirm = reserve(booked.state, T0 + 10, bucket, Infinity, booked.reservation.epoch);
    expect(confirm.reservation).toEqual({ granted: true, waitMs: 0, epoch: 0 });
    expect(confirm.state).toBe(booked.state);
  });

  it('is void after a pause: the caller books again behind the pause', () => {
    const { state } = book(emptyState(T0), T0, 4); // the 4th waits 100 ms
    const paused = pause(state, T0 + 50, bucket, 1_000);
    const confirm = reserve(paused, T0 + 100, bucket, Infinity, 0);
    expect(confirm.reservation).toEqual({ granted: true, waitMs: 950, epoch: 1 });
  });
});

describe('gcra idle state and options', () => {
  it('carries no information once refilled and unpaused, plus a grace period', () => {
    const { state } = book(emptyState(T0), T0, 5);
    expect(idleAt(state)).toBe(T0 + 500 + IDLE_GRACE_MS);
    expect(idleAt(pause(state, T0, bucket, 60_000))).toBe(T0 + 60_000 + 200 + IDLE_GRACE_MS);
  });

  it('defaults to 900 a minute with a burst of 10 and a 10 s wait limit', () => {
    const resolved = resolveOptions();
    expect(resolved.bucket.intervalMs).toBeCloseTo(66.667, 3);
    expect(resolved.bucket.toleranceMs).toBeCloseTo(600, 6);
    expect(resolved.maxWaitMs).toBe(10_000);
  });

  it.each([{ requestsPerMinute: 0 }, { requestsPerMinute: NaN }, { burst: 0 }, { burst: 1.5 }, { maxWaitMs: -1 }])('rejects %p', (options) => {
    expect(() => resolveOptions(options)).toThrow(RangeError);
  });
});

describe('gcra priority (interactiveReserve)', () => {
  // 600 a minute, burst 5 of which 3 are kept for interactive callers: background may run 1 request ahead.
  const options = resolveOptions({ requestsPerMinute: 600, burst: 5, interactiveReserve: 3 });
  const take = (state: BucketState, now: number, priority: 'background' | 'interactive') => {
    const r = reserve(state, now, bucketFor(options, priority), Infinity);
    if (!r.reservation.granted) throw new Error('refused');
    return { state: r.state, waitMs: r.reservation.waitMs };
  };

  it('lets a click go at once while export callers wait for their slots, and they go after it', () => {
    let state = emptyState(T0);
    const run = (priority: 'background' | 'interactive', n: number): number[] =>
      Array.from({ length: n }, () => {
        const r = take(state, T0, priority);
        state = r.state;
        return r.waitMs;
      });
    expect(run('background', 3)).toEqual([0, 0, 100]); // three export callers: burst 5 − 3 kept = 2 at once
    expect(run('interactive', 2)).toEqual([0, 0]); // a click finds its reserved slots free
    expect(run('background', 1)).toEqual([400]); // the next export call goes behind the click's
  });

  it('without a reserve, a click queues behind the export callers like before', () => {
    const plain = resolveOptions({ requestsPerMinute: 600, burst: 2 });
    let state = emptyState(T0);
    const waits = (['background', 'background', 'background', 'interactive'] as const).map((priority) => {
      const r = reserve(state, T0, bucketFor(plain, priority), Infinity);
      if (!r.reservation.granted) throw new Error('refused');
      state = r.state;
      return r.reservation.waitMs;
    });
    expect(waits).toEqual([0, 0, 100, 200]);
  });

  it('keeps the bound on any window (rate + burst) whatever the mix of callers (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.boolean()), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 3000 }),
        (steps, windowMs) => {
          let state = emptyState(T0);
          let now = T0;
          const sent: number[] = [];
          for (const [gap, interactive] of steps) {
            now += gap;
            const r = take(state, now, interactive ? 'interactive' : 'background');
            state = r.state;
            sent.push(now + r.waitMs);
          }
          sent.sort((a, b) => a - b);
          const limit = 5 + Math.floor(windowMs / 100);
          return sent.every((start) => sent.filter((t) => t >= start && t < start + windowMs).length <= limit);
        },
      ),
    );
  });

  it.each([{ burst: 3, interactiveReserve: 3 }, { interactiveReserve: -1 }, { interactiveReserve: 1.5 }])('rejects %p', (bad) => {
    expect(() => resolveOptions(bad)).toThrow(RangeError);
  });
});
