import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

/** What `increment` answers (the shape of @nestjs/throttler's `ThrottlerStorageRecord`). */
export interface ThrottlerRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * The hits of one key and throttler: expiry times in the order they were recorded (the ttl of a throttler is
 * fixed, so they are also in increasing order). Expired hits are dropped from the front, so a request costs
 * O(1) amortised instead of a pass over every hit of the window.
 */
class HitQueue {
  private items: number[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** Drops the hits that expired at `now` (an expiry equal to `now` counts as expired). */
  prune(now: number): void {
    while (this.head < this.items.length && this.items[this.head] <= now) this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  push(expiresAt: number): void {
    this.items.push(expiresAt);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  /** The earliest expiry (the first to go), or undefined. */
  first(): number | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The latest expiry, or undefined. */
  last(): number | undefined {
    return this.head < this.items.length ? this.items[this.items.length - 1] : undefined;
  }
}

interface KeyRecord {
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
  hits: Map<string, HitQueue>;
}

/**
 * The rate limiter's counters, in this process: the same sliding-window log and blocking rules as
 * @nestjs/throttler's `ThrottlerStorageService` (same answers, hit for hit: `throttler-storage.spec.ts` runs both side
 * by side), but without its per-request costs: that one copies the key's whole list of hit times on every
 * request (`filter`), up to a minute's worth of requests of the token (60,000 at 1,000 requests a second),
 * where this one drops expired hits from the front of a queue. Idle keys are evicted once a minute.
 */
@Injectable()
export class FastThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly records = new Map<string, KeyRecord>();
  private sweep?: NodeJS.Timeout;

  constructor(private readonly sweepIntervalMs = 60_000) {}

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerRecord> {
    return Promise.resolve(this.incrementNow(key, ttl, limit, blockDuration, throttlerName, Date.now()));
  }

  /** `increment` at a given time (tests drive the clock). */
  incrementNow(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string, now: number): ThrottlerRecord {
    this.ensureSweep();
    let record = this.records.get(key);
    if (!record) {
      record = { expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false, hits: new Map() };
      this.records.set(key, record);
    }
    let hits = record.hits.get(throttlerName);
    if (!hits) {
      hits = new HitQueue();
      record.hits.set(throttlerName, hits);
    }
    hits.prune(now);
    let timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      record.expiresAt = now + ttl;
      timeToExpire = Math.ceil((record.expiresAt - now) / 1000);
    }
    if (blockDuration <= 0) {
      const isBlocked = hits.length >= limit;
      if (!isBlocked) hits.push(now + ttl);
      const first = hits.first();
      const timeToBlockExpire = first !== undefined ? Math.ceil((first - now) / 1000) : timeToExpire;
      return { totalHits: hits.length + (isBlocked ? 1 : 0), timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToBlockExpire : 0 };
    }
    if (!record.isBlocked) hits.push(now + ttl);
    if (hits.length > limit && !record.isBlocked) {
      record.isBlocked = true;
      record.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((record.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && record.isBlocked) {
      record.isBlocked = false;
      hits.clear();
      hits.push(now + ttl);
    }
    return { totalHits: hits.length, timeToExpire, isBlocked: record.isBlocked, timeToBlockExpire };
  }

  /** Drops the keys with nothing left to remember: not blocked, window over, no live hit. */
  evictIdle(now = Date.now()): void {
    for (const [key, record] of this.records) {
      if (record.isBlocked && record.blockExpiresAt > now) continue;
      if (record.expiresAt > now) continue;
      let live = false;
      for (const hits of record.hits.values()) {
        const last = hits.last();
        if (last !== undefined && last > now) {
          live = true;
          break;
        }
      }
      if (!live) this.records.delete(key);
    }
  }

  /** Keys held (tests). */
  get size(): number {
    return this.records.size;
  }

  onApplicationShutdown(): void {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
    this.records.clear();
  }

  private ensureSweep(): void {
    if (this.sweep) return;
    this.sweep = setInterval(() => this.evictIdle(), this.sweepIntervalMs);
    this.sweep.unref();
  }
}
