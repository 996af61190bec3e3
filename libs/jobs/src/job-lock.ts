import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/** A held lock; renewed in the background until released. */
export interface LockHandle {
  release(): Promise<void>;
}

/**
 * Mutual exclusion for jobs that touch the same ConnectWise records. At-least-once delivery can put two
 * copies of one job in flight at once (an outbox row re-published after a lost connection, a broker
 * redelivery while the first copy still runs): both would plan the same create. Holding a lock per
 * agreement (and per partner for the catalog) makes the second copy wait and then find the work done.
 */
export interface JobLock {
  /** Waits up to `waitMs` for the lock; undefined when it stayed taken. */
  acquire(key: string, waitMs: number): Promise<LockHandle | undefined>;
}

/** Short enough that a job killed while holding the lock blocks the next copy for seconds, not minutes. */
const TTL_MS = 6_000;
const POLL_MS = 100;

/** One process (local mode). */
export class InMemoryJobLock implements JobLock {
  private readonly held = new Set<string>();

  async acquire(key: string, waitMs: number): Promise<LockHandle | undefined> {
    const deadline = Date.now() + waitMs;
    while (this.held.has(key)) {
      if (Date.now() >= deadline) return undefined;
      await sleep(POLL_MS);
    }
    this.held.add(key);
    return { release: () => Promise.resolve(void this.held.delete(key)) };
  }
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Across worker processes, on Redis: `SET NX PX` with a random token, renewed every third of the TTL,
 * released only by its holder. A holder that dies leaves the lock to expire (6 s; a live one renews every 2 s).
 */
export class RedisJobLock implements JobLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'cwx:lock:',
  ) {}

  async acquire(key: string, waitMs: number): Promise<LockHandle | undefined> {
    const name = this.prefix + key;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    while ((await this.redis.set(name, token, 'PX', TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) return undefined;
      await sleep(POLL_MS + Math.floor(Math.random() * POLL_MS));
    }
    const renewal = setInterval(() => {
      this.redis.eval(RENEW, 1, name, token, String(TTL_MS)).catch(() => undefined);
    }, TTL_MS / 3);
    renewal.unref();
    return {
      release: async () => {
        clearInterval(renewal);
        await this.redis.eval(RELEASE, 1, name, token).catch(() => undefined);
      },
    };
  }
}
