import type { Redis } from 'ioredis';
import { acquireWithSteps, realTiming } from './acquire-loop';
import type { Reservation } from './gcra';
import { bucketFor, checkPause, checkWait, resolveOptions, type BucketParams, type ResolvedOptions } from './params';
import { BUDGET_SCRIPT, BUDGET_SCRIPT_SHA } from './redis-script';
import type { AcquireOptions, AcquireResult, BudgetOptions, RequestBudget } from './types';

export interface RedisBudgetOptions extends BudgetOptions {
  /** Prepended to the partner id to form its key; default `cwx:throttle:`. */
  keyPrefix?: string;
}

export const DEFAULT_KEY_PREFIX = 'cwx:throttle:';

/** Redis wants a number for "no limit"; a century of milliseconds will do. */
const NO_LIMIT_MS = 3.2e12;

/**
 * The fleet-wide budget: every worker process holding a RedisRequestBudget with the same options and
 * prefix shares each partner's bucket and pause. One key per partner, one script call per immediate
 * acquire (two when it had to wait). The Redis connection is the caller's: this class never closes it.
 * Works on a Redis Cluster too (every call touches exactly one key).
 */
export class RedisRequestBudget implements RequestBudget {
  private readonly options: ResolvedOptions;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisBudgetOptions = {},
  ) {
    this.options = resolveOptions(options);
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  }

  keyFor(partnerId: string): string {
    return this.prefix + partnerId;
  }

  async acquire(partnerId: string, options: AcquireOptions = {}): Promise<AcquireResult> {
    const maxWaitMs = checkWait(options.maxWaitMs ?? this.options.maxWaitMs);
    const bucket = bucketFor(this.options, options.priority);
    return await acquireWithSteps(
      partnerId,
      maxWaitMs,
      async (left, heldEpoch): Promise<Reservation> => {
        const limit = Number.isFinite(left) ? left : NO_LIMIT_MS;
        const [granted, waitMs, epoch] = await this.run(partnerId, 'reserve', limit, heldEpoch ?? '', bucket);
        return granted === 1 ? { granted: true, waitMs, epoch } : { granted: false, waitMs };
      },
      realTiming,
    );
  }

  async pause(partnerId: string, ms: number): Promise<void> {
    await this.run(partnerId, 'pause', checkPause(ms), '');
  }

  async pausedFor(partnerId: string): Promise<number> {
    const [ms] = await this.run(partnerId, 'peek', 0, '');
    return ms;
  }

  private async run(partnerId: string, op: 'reserve' | 'pause' | 'peek', arg: number, epoch: number | '', bucket: BucketParams = this.options.bucket): Promise<number[]> {
    const { intervalMs, toleranceMs } = bucket;
    const args = [op, intervalMs, toleranceMs, arg, epoch];
    const key = this.keyFor(partnerId);
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(BUDGET_SCRIPT_SHA, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      reply = await this.redis.eval(BUDGET_SCRIPT, 1, key, ...args);
    }
    return toNumbers(reply, op === 'reserve' ? 3 : 1);
  }
}

function toNumbers(reply: unknown, length: number): number[] {
  if (!Array.isArray(reply) || reply.length !== length || !reply.every((v) => typeof v === 'number')) {
    throw new Error(`request budget: unexpected reply from Redis: ${JSON.stringify(reply)}`);
  }
  return reply;
}
