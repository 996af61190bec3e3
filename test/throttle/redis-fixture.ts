import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { isBudgetWaitTooLong, type RequestBudget } from '../../libs/throttle/src';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Redis connections for one test file, each like a separate worker process, plus a key prefix unique to
 * the file; every key under the prefix is deleted and every connection closed after the file.
 */
export function useRedis(): { connect: () => Promise<Redis>; prefix: () => string; keys: () => Promise<string[]> } {
  const connections: Redis[] = [];
  const filePrefix = `test:throttle:${process.pid}:${randomUUID()}:`;
  let n = 0;
  let current = filePrefix;

  const keys = async (pattern = `${filePrefix}*`): Promise<string[]> => {
    const admin = connections[0] ?? (await connect());
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };

  async function connect(): Promise<Redis> {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectionName: 'cwx-throttle-test' });
    connections.push(redis);
    await redis.ping();
    return redis;
  }

  beforeEach(() => {
    n += 1;
    current = `${filePrefix}${n}:`;
  });
  afterAll(async () => {
    const left = await keys();
    if (left.length > 0) await connections[0].del(...left);
    await Promise.all(connections.map((c) => c.quit()));
  });

  return { connect, prefix: () => current, keys: () => keys(`${current}*`) };
}

/**
 * Runs `workers` loops that acquire for `partnerId` during `ms` and returns how many acquisitions each
 * loop got inside the window. A loop stops when its next slot would fall after the window.
 */
export async function drive(budgets: RequestBudget[], partnerId: string, workersPerBudget: number, ms: number): Promise<number[]> {
  const started = performance.now();
  const loop = async (budget: RequestBudget): Promise<number> => {
    let count = 0;
    for (;;) {
      const left = ms - (performance.now() - started);
      if (left <= 0) return count;
      try {
        await budget.acquire(partnerId, { maxWaitMs: left });
      } catch (error) {
        if (isBudgetWaitTooLong(error)) return count; // the next slot is past the window
        throw error;
      }
      if (performance.now() - started < ms) count += 1;
    }
  };
  return Promise.all(budgets.flatMap((b) => Array.from({ length: workersPerBudget }, () => loop(b))));
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
