/**
 * Requests a minute per ConnectWise company, as a sliding 60-second window: a request is admitted
 * when fewer than `perMinute` requests were admitted in the last 60 s. Each company keeps a ring of
 * its last `perMinute` admission times, so a check is O(1). When refused, Retry-After is the whole
 * seconds until the oldest of those leaves the window. 0 means unlimited.
 */
export class SlidingWindowRateLimiter {
  private readonly rings = new Map<string, { times: number[]; next: number }>();

  constructor(
    private perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 60_000,
  ) {}

  get limit(): number {
    return this.perMinute;
  }

  setLimit(perMinute: number): void {
    this.perMinute = Math.max(0, Math.floor(perMinute));
    this.rings.clear();
  }

  /** Admits the request (and counts it) or returns the seconds to wait. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    if (this.perMinute <= 0) return { allowed: true };
    const now = this.now();
    let ring = this.rings.get(key);
    if (!ring) this.rings.set(key, (ring = { times: [], next: 0 }));
    if (ring.times.length < this.perMinute) {
      ring.times.push(now);
      return { allowed: true };
    }
    const oldest = ring.times[ring.next];
    if (now - oldest >= this.windowMs) {
      ring.times[ring.next] = now;
      ring.next = (ring.next + 1) % this.perMinute;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
  }

  reset(): void {
    this.rings.clear();
  }
}
