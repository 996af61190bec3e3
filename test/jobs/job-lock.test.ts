import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { InMemoryJobLock, RedisJobLock, type JobLock } from '../../libs/jobs/src/job-lock';

describe.each<[string, () => { lock: JobLock; other: JobLock; close(): Promise<void> }]>([
  [
    'RedisJobLock (two connections, like two workers)',
    () => {
      const prefix = `test-lock-${randomUUID()}:`;
      const a = new Redis('redis://127.0.0.1:6379');
      const b = new Redis('redis://127.0.0.1:6379');
      return {
        lock: new RedisJobLock(a, prefix),
        other: new RedisJobLock(b, prefix),
        close: async () => {
          await Promise.all([a.quit(), b.quit()]);
        },
      };
    },
  ],
  [
    'InMemoryJobLock',
    () => {
      const lock = new InMemoryJobLock();
      return { lock, other: lock, close: () => Promise.resolve() };
    },
  ],
])('%s', (_name, make) => {
  let subject: ReturnType<typeof make>;
  beforeEach(() => {
    subject = make();
  });
  afterEach(() => subject.close());

  it('lets one holder in at a time and the next one in after release', async () => {
    const first = await subject.lock.acquire('agreement:p:1', 0);
    expect(first).toBeDefined();
    expect(await subject.other.acquire('agreement:p:1', 150)).toBeUndefined();
    const waiting = subject.other.acquire('agreement:p:1', 2000);
    await new Promise((r) => setTimeout(r, 120));
    await first!.release();
    const second = await waiting;
    expect(second).toBeDefined();
    await second!.release();
  });

  it('keeps different keys independent', async () => {
    const a = await subject.lock.acquire('agreement:p:1', 0);
    const b = await subject.other.acquire('agreement:p:2', 0);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    await a!.release();
    await b!.release();
  });
});

it('a Redis lock is released only by its holder', async () => {
  const prefix = `test-lock-${randomUUID()}:`;
  const redis = new Redis('redis://127.0.0.1:6379');
  try {
    const lock = new RedisJobLock(redis, prefix);
    const held = await lock.acquire('k', 0);
    await redis.set(`${prefix}k`, 'someone-else');
    await held!.release();
    expect(await redis.get(`${prefix}k`)).toBe('someone-else');
    await redis.del(`${prefix}k`);
  } finally {
    redis.disconnect();
  }
});
