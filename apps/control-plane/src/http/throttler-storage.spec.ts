import { ThrottlerStorageService } from '@nestjs/throttler';
import { FastThrottlerStorage } from './throttler-storage';

/** A small deterministic generator (the sequences must be reproducible). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('FastThrottlerStorage', () => {
  afterEach(() => jest.useRealTimers());

  it.each([
    ['blocking (the guard: block for the ttl)', 1000, 5, 1000],
    ['blocking, a longer block', 1000, 3, 2500],
    ['minute window', 60_000, 40, 60_000],
    ['without a block (blockDuration 0)', 1000, 4, 0],
  ])('answers as the library storage does, request for request: %s', async (_name, ttl, limit, blockDuration) => {
    jest.useFakeTimers({ now: 1_800_000_000_000 });
    const library = new ThrottlerStorageService();
    const fast = new FastThrottlerStorage();
    const next = random(ttl + limit + blockDuration);
    const keys = ['second:a', 'second:b', 'minute:a'];
    for (let i = 0; i < 3000; i += 1) {
      // Bursts and pauses: steps of 0 to 40 ms, now and then a pause past the window or the block.
      const r = next();
      jest.advanceTimersByTime(r < 0.02 ? ttl + Math.floor(next() * ttl) : Math.floor(next() * 40));
      const key = keys[Math.floor(next() * keys.length)];
      const expected = await library.increment(key, ttl, limit, blockDuration, 'second');
      const actual = await fast.increment(key, ttl, limit, blockDuration, 'second');
      expect({ i, ...actual }).toEqual({ i, ...expected });
    }
    library.onApplicationShutdown();
    fast.onApplicationShutdown();
  });

  it('keeps a request O(1): 200,000 hits in one window cost about as much per request as 2,000', () => {
    const fast = new FastThrottlerStorage();
    const time = (hits: number) => {
      const started = performance.now();
      for (let i = 0; i < hits; i += 1) fast.incrementNow(`k${hits}`, 60_000, 1_000_000, 60_000, 'minute', 1_000 + i / 100);
      return (performance.now() - started) / hits;
    };
    time(2_000);
    const small = time(2_000);
    const large = time(200_000);
    expect(large).toBeLessThan(small * 20 + 0.01); // the library storage: about 100× more at 200,000
    fast.onApplicationShutdown();
  });

  it('evicts keys with no live hit once their window and block are over', () => {
    const fast = new FastThrottlerStorage();
    fast.incrementNow('second:a', 1000, 5, 1000, 'second', 10_000);
    fast.incrementNow('second:b', 1000, 1, 5000, 'second', 10_000);
    fast.incrementNow('second:b', 1000, 1, 5000, 'second', 10_001); // blocked until 15,001
    fast.evictIdle(10_500);
    expect(fast.size).toBe(2);
    fast.evictIdle(11_100);
    expect(fast.size).toBe(1);
    fast.evictIdle(15_002);
    expect(fast.size).toBe(0);
    fast.onApplicationShutdown();
  });
});
