/**
 * What a worker remembers of a run: the partner's context (settings, billing control, review policy, catalog) read
 * once per run by the first account job of that run, instead of by every job. Keyed by partner and run, so a run
 * started after the partner changed something reads it afresh (a run is never served another run's context); bounded
 * in entries; an entry expires after `ttlMs` (a long run re-reads, so a change made during a run reaches it within
 * that time, as it reached the next job before), and goes as soon as a later run of the partner is read or a job finds
 * its run stopped. A failed read is not kept.
 */
export interface RunContextCacheOptions {
  /** Runs remembered at once (the least recently used goes first). Default 256. */
  maxEntries?: number;
  /** How long a run's context is used before it is read again. Default 60 s. */
  ttlMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

export const DEFAULT_RUN_CONTEXT_TTL_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 256;

interface Entry<T> {
  partnerId: string;
  runId: string;
  value: Promise<T>;
  expiresAt: number;
}

export class RunContextCache<T> {
  /** In least-recently-used order (a hit moves its entry to the end). */
  private readonly entries = new Map<string, Entry<T>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: RunContextCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.ttlMs = options.ttlMs ?? DEFAULT_RUN_CONTEXT_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** The run's context: remembered, or read with `load` (one read for concurrent callers of the same run). */
  get(partnerId: string, runId: string, load: () => Promise<T>): Promise<T> {
    const key = keyOf(partnerId, runId);
    const now = this.now();
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && hit.expiresAt > now) {
      this.entries.set(key, hit);
      return hit.value;
    }
    for (const [other, entry] of this.entries) {
      // Expired, or another run of the partner (one run of a partner is active at a time: that one is over).
      if (entry.expiresAt <= now || entry.partnerId === partnerId) this.entries.delete(other);
    }
    const value = load();
    const entry: Entry<T> = { partnerId, runId, value, expiresAt: now + this.ttlMs };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return value;
  }

  /** The run stopped or finished: its context is not needed any more. */
  endRun(partnerId: string, runId: string): void {
    this.entries.delete(keyOf(partnerId, runId));
  }

  /** Runs remembered now (tests, metrics). */
  get size(): number {
    return this.entries.size;
  }
}

function keyOf(partnerId: string, runId: string): string {
  return JSON.stringify([partnerId, runId]);
}
