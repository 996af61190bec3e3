/**
 * Sanity check of the fleet-wide budget: 4 worker processes (child_process.fork), each running a few
 * concurrent acquire loops for one partner against one RedisRequestBudget, for a few seconds, several
 * runs; prints the achieved rate against the budget and the Redis calls per acquire, with medians.
 *
 *   npm run -s build && node dist/libs/throttle/bench/budget-bench.js [--rpm 1200] [--burst 10]
 *     [--seconds 3] [--runs 5] [--workers 4] [--concurrency 4]
 *
 * Needs Redis (REDIS_URL, default redis://127.0.0.1:6379). Keys go under a unique prefix and are deleted.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisRequestBudget } from '../src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PARTNER = 'bench-partner';

interface Settings {
  rpm: number;
  burst: number;
  seconds: number;
  runs: number;
  workers: number;
  concurrency: number;
}

interface WorkerReport {
  /** Wall-clock ms of every acquisition inside the window (one machine, so clocks agree). */
  grants: number[];
  redisCalls: number;
}

type ChildMessage = { type: 'ready' } | { type: 'done'; report: WorkerReport };

function parseSettings(argv: string[]): Settings {
  const get = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  return { rpm: get('rpm', 1200), burst: get('burst', 10), seconds: get('seconds', 3), runs: get('runs', 5), workers: get('workers', 4), concurrency: get('concurrency', 4) };
}

/** Counts script calls by wrapping the connection's evalsha/eval. */
function countCalls(redis: Redis): () => number {
  let calls = 0;
  for (const name of ['evalsha', 'eval'] as const) {
    const original = redis[name].bind(redis) as (...args: unknown[]) => unknown;
    (redis as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls += 1;
      return original(...args);
    };
  }
  return () => calls;
}

// ---- child: one worker process ----

async function child(prefix: string, settings: Settings): Promise<void> {
  const redis = new Redis(REDIS_URL);
  const calls = countCalls(redis);
  const budget = new RedisRequestBudget(redis, { requestsPerMinute: settings.rpm, burst: settings.burst, keyPrefix: prefix });
  await redis.ping();
  const startAt = await new Promise<number>((resolve) => {
    process.once('message', (m: { startAt: number }) => resolve(m.startAt));
    process.send?.({ type: 'ready' } satisfies ChildMessage);
  });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const endAt = startAt + settings.seconds * 1000;
  const grants: number[] = [];
  const loop = async (): Promise<void> => {
    for (;;) {
      const left = endAt - Date.now();
      if (left <= 0) return;
      try {
        await budget.acquire(PARTNER, { maxWaitMs: left });
      } catch {
        return; // next slot after the window
      }
      if (Date.now() < endAt) grants.push(Date.now());
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, loop));
  process.send?.({ type: 'done', report: { grants, redisCalls: calls() } } satisfies ChildMessage);
  await redis.quit();
}

// ---- parent ----

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** Most acquisitions in any window of `ms`. */
function maxInWindow(times: number[], ms: number): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i] - s[j] >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

interface RunResult {
  perMinute: number;
  /** Without the opening burst. */
  steadyPerMinute: number;
  maxPerSecond: number;
  callsPerAcquire: number;
  shares: number[];
}

async function oneRun(settings: Settings): Promise<RunResult> {
  const prefix = `bench:throttle:${randomUUID()}:`;
  const children = Array.from({ length: settings.workers }, () => fork(__filename, ['child', prefix, JSON.stringify(settings)]));
  const reports: Promise<WorkerReport>[] = children.map(
    (c) => new Promise((resolve, reject) => {
      c.on('message', (m: ChildMessage) => m.type === 'done' && resolve(m.report));
      c.on('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
    }),
  );
  await Promise.all(children.map((c) => new Promise<void>((resolve) => c.on('message', (m: ChildMessage) => m.type === 'ready' && resolve()))));
  const startAt = Date.now() + 200;
  for (const c of children) c.send({ startAt });
  const done = await Promise.all(reports);
  const admin = new Redis(REDIS_URL);
  await admin.del(`${prefix}${PARTNER}`);
  await admin.quit();

  const grants = done.flatMap((r) => r.grants);
  const calls = done.reduce((n, r) => n + r.redisCalls, 0);
  return {
    perMinute: (grants.length / settings.seconds) * 60,
    steadyPerMinute: ((grants.length - settings.burst) / settings.seconds) * 60,
    maxPerSecond: maxInWindow(grants, 1000),
    callsPerAcquire: calls / grants.length,
    shares: done.map((r) => r.grants.length),
  };
}

/** Latency of one uncontended acquire (one script round trip). */
async function uncontendedLatency(): Promise<number> {
  const redis = new Redis(REDIS_URL);
  const prefix = `bench:throttle:${randomUUID()}:`;
  const budget = new RedisRequestBudget(redis, { requestsPerMinute: 1e9, burst: 1000, keyPrefix: prefix });
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t = performance.now();
    await budget.acquire(PARTNER);
    samples.push(performance.now() - t);
  }
  await redis.del(`${prefix}${PARTNER}`);
  await redis.quit();
  return median(samples.slice(200));
}

async function parent(settings: Settings): Promise<void> {
  const perSecond = settings.rpm / 60;
  console.log(
    `budget ${settings.rpm}/min (${perSecond.toFixed(1)}/s), burst ${settings.burst}; ${settings.workers} worker processes × ${settings.concurrency} loops; ` +
      `${settings.runs} runs of ${settings.seconds} s`,
  );
  const ceiling = settings.burst + settings.seconds * perSecond;
  const results: RunResult[] = [];
  for (let run = 1; run <= settings.runs; run++) {
    const r = await oneRun(settings);
    results.push(r);
    console.log(
      `run ${run}: ${r.perMinute.toFixed(0)}/min incl. burst (ceiling ${((ceiling / settings.seconds) * 60).toFixed(0)}), ` +
        `steady ${r.steadyPerMinute.toFixed(0)}/min, max ${r.maxPerSecond} in any 1 s, ` +
        `${r.callsPerAcquire.toFixed(2)} Redis calls/acquire, per worker ${r.shares.join('/')}`,
    );
  }
  const m = (f: (r: RunResult) => number): number => median(results.map(f));
  console.log(
    `median: ${m((r) => r.perMinute).toFixed(0)}/min incl. burst, steady ${m((r) => r.steadyPerMinute).toFixed(0)}/min ` +
      `(budget ${settings.rpm}), max ${m((r) => r.maxPerSecond)} in any 1 s (allowed ${Math.floor(settings.burst + perSecond)}), ` +
      `${m((r) => r.callsPerAcquire).toFixed(2)} Redis calls/acquire`,
  );
  console.log(`uncontended acquire: median ${(await uncontendedLatency()).toFixed(3)} ms (one script call)`);
}

if (process.argv[2] === 'child') {
  child(process.argv[3], JSON.parse(process.argv[4]) as Settings).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  parent(parseSettings(process.argv.slice(2))).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
