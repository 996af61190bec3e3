/**
 * Control-plane load: latency (p50/p90/p95/p99) and throughput of the mapping list, the status endpoints and the review
 * queue for a partner with `--accounts` account rows and `--pending` changes waiting for review, under
 * `--concurrency` clients, on PostgreSQL and/or PGlite.
 *
 *   npm run bench:control-plane -- [--accounts 10000] [--pending 10000] [--concurrency 50] [--seconds 10]
 *       [--database postgres|pglite|both] [--only <regexp on the endpoint name>] [--out path.json]
 *
 * The control plane runs in this process (loopback HTTP); the load runs in a child process (the same
 * file with `--load-child`), so client work does not steal the server's event loop. Rows are inserted
 * directly (drizzle), not through the API, to keep set-up short. Each endpoint is loaded for a fixed
 * time after a 1 s warm-up; every client sends its next request when the previous answer is read.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { InProcessMessageBus } from '@cwx/messaging';
import { accountMappings, exportLog, reviewChanges, runs, type Database } from '@cwx/persistence';
import { sql } from 'drizzle-orm';
import { generatePartner } from '@cwx/platform-testing';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';
import { DATABASE } from '../../apps/control-plane/src/database/database.module';
import { partnerToken, testControlPlaneConfig } from '../../test/support/control-plane';
import { createTestDatabase } from '../../test/support/postgres';
import { cpuSecondsByName, REPO, uptime } from './processes';

const PARTNER = 'bench-cp';

interface Target {
  name: string;
  /** Paths to cycle through (one per request, round robin). */
  paths: string[];
  /** Meanwhile a person dismisses one pending change (the newest) every this many ms, through the API: the queue changes under the readers. */
  decideEveryMs?: number;
}

interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU of this process (the control plane) and of every PostgreSQL process on the machine, per request. */
  serverCpuMsPerRequest?: number;
  postgresCpuMsPerRequest?: number;
  /** Decisions made during the load (targets with `decideEveryMs`). */
  decisions?: number;
}

function argsOf(argv: string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.slice(2).split('=', 2);
    if (inline !== undefined) values.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) values.set(name, argv[++i]);
    else values.set(name, 'true');
  }
  return values;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The child: loads one target with `concurrency` clients for `seconds`, prints the result as JSON. */
async function loadChild(): Promise<void> {
  const input = JSON.parse(process.env.BENCH_LOAD ?? '{}') as { baseUrl: string; token: string; target: Target; concurrency: number; seconds: number };
  const url = new URL(input.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: input.concurrency });
  let next = 0;
  const send = (path: string) =>
    new Promise<number>((done) => {
      const req = request(
        { host: url.hostname, port: url.port, path, method: 'GET', agent, headers: { authorization: `Bearer ${input.token}` } },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
        },
      );
      req.on('error', () => done(0));
      req.end();
    });
  const run = async (until: number, latencies: number[] | undefined): Promise<number> => {
    let errors = 0;
    await Promise.all(
      Array.from({ length: input.concurrency }, async () => {
        while (performance.now() < until) {
          const path = input.target.paths[next++ % input.target.paths.length];
          const start = performance.now();
          const status = await send(path);
          latencies?.push(performance.now() - start);
          if (status !== 200) errors += 1;
        }
      }),
    );
    return errors;
  };
  await run(performance.now() + 1000, undefined);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await run(started + input.seconds * 1000, latencies);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  const result: LoadResult = {
    name: input.target.name,
    requests: latencies.length,
    errors,
    seconds: r3(seconds),
    perSecond: r3(latencies.length / seconds),
    p50Ms: r3(percentile(latencies, 50)),
    p90Ms: r3(percentile(latencies, 90)),
    p95Ms: r3(percentile(latencies, 95)),
    p99Ms: r3(percentile(latencies, 99)),
    maxMs: r3(latencies[latencies.length - 1] ?? NaN),
  };
  process.send?.(result);
  agent.destroy();
}

function loadInChild(input: { baseUrl: string; token: string; target: Target; concurrency: number; seconds: number }): Promise<LoadResult> {
  return new Promise((done, fail) => {
    const child = fork(join(REPO, 'dist/bench/export/bench-control-plane.js'), ['--load-child'], { env: { ...process.env, BENCH_LOAD: JSON.stringify(input) }, stdio: 'inherit' });
    let result: LoadResult | undefined;
    child.on('message', (m) => (result = m as LoadResult));
    child.on('exit', (code) => (result ? done(result) : fail(new Error(`load child exited with ${code}`))));
  });
}

/** `pending` changes waiting for review, spread over the accounts (a decrease, an increase or a price change each), plus as many decided ones. */
async function seedReview(db: Database, accountIds: readonly string[], pending: number): Promise<void> {
  const classes = [['decrease'], ['cancellation'], ['price-change'], ['decrease', 'price-change']];
  const rows = Array.from({ length: pending * 2 }, (_, i) => {
    const quantity = 5 + (i % 20);
    return {
      partnerId: PARTNER,
      accountId: accountIds[i % accountIds.length],
      accountName: `Account ${i % accountIds.length}`,
      agreementId: 1000 + (i % accountIds.length),
      sku: `SKU-${Math.floor(i / accountIds.length)}`,
      additionId: 10_000 + i,
      fingerprint: `update:quantity=${quantity - 1}`,
      classes: classes[i % classes.length],
      reason: 'policy' as const,
      before: { quantity, unitPrice: 10, unitCost: 5, cancelled: false },
      after: { quantity: quantity - 1, unitPrice: 10, unitCost: 5, cancelled: false },
      monthlyAmount: -10,
      status: i < pending ? ('pending' as const) : ('applied' as const),
      firstSeenOn: '2026-12-01',
      waitingSince: new Date(Date.now() - (pending * 2 - i) * 1000),
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(reviewChanges).values(rows.slice(i, i + 1000));
  await db.execute(sql`vacuum (analyze) review_changes`);
}

async function seed(db: Database, accounts: number): Promise<{ runId: string; words: string[] }> {
  const generated = generatePartner({ partnerId: PARTNER, seed: 42, accounts, skusPerAccount: 1, usersPerAccount: 0 });
  const rows = generated.accounts.map((a, i) => {
    const kind = i % 10;
    const state = kind < 6 ? ('mapped' as const) : kind < 8 ? ('suggested' as const) : ('unmapped' as const);
    return {
      partnerId: PARTNER,
      accountId: a.account.id,
      accountName: a.account.name,
      state,
      ...(state === 'mapped'
        ? { companyId: 1000 + i, companyName: `Company ${i}`, agreementId: 1000 + i, agreementName: `Agreement ${i}`, exportEnabled: i % 3 !== 0 }
        : {}),
      ...(state === 'suggested' ? { suggestedCompanyId: 5000 + i, suggestedCompanyName: a.account.name, suggestionScore: 0.9, suggestionReason: 'same name' } : {}),
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(accountMappings).values(rows.slice(i, i + 1000));
  const runId = randomUUID();
  await db.insert(runs).values({
    id: runId,
    partnerId: PARTNER,
    trigger: 'manual',
    status: 'succeeded',
    totalAccounts: accounts,
    doneAccounts: accounts,
    unchangedAccounts: accounts,
    startedAt: new Date(),
    finishedAt: new Date(),
  });
  const logRows = generated.accounts.map((a) => ({ runId, partnerId: PARTNER, accountId: a.account.id, accountName: a.account.name, status: 'unchanged' as const }));
  for (let i = 0; i < logRows.length; i += 1000) await db.insert(exportLog).values(logRows.slice(i, i + 1000));
  // What autovacuum does within a minute of a bulk load in production: planner statistics and the visibility
  // map (index-only scans skip the heap only for pages marked all-visible).
  await db.execute(sql`vacuum (analyze) account_mappings`);
  await db.execute(sql`vacuum (analyze) export_log`);
  // Search words: one common, one rare (drawn from the generated names).
  const counts = new Map<string, number>();
  for (const a of generated.accounts) for (const w of a.account.name.toLowerCase().split(/[^a-z]+/)) if (w.length >= 4) counts.set(w, (counts.get(w) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return { runId, words: [sorted[0]?.[0] ?? 'tech', sorted[Math.floor(sorted.length / 2)]?.[0] ?? 'zeta'] };
}

/** Dismisses the newest pending change every `everyMs` through the API (one at a time) until stopped; how many were decided. */
function startDeciding(db: Database, baseUrl: string, token: string, everyMs: number): { stop(): Promise<number> } {
  let stopped = false;
  let decided = 0;
  const loop = (async () => {
    const ids = (
      await db
        .select({ id: reviewChanges.id })
        .from(reviewChanges)
        .where(sql`${reviewChanges.partnerId} = ${PARTNER} and ${reviewChanges.status} = 'pending'`)
        .orderBy(sql`${reviewChanges.waitingSince} desc`)
        .limit(10_000)
    ).map((r) => r.id);
    for (const id of ids) {
      if (stopped) break;
      const started = performance.now();
      const res = await fetch(`${baseUrl}/partners/${PARTNER}/review/changes/decisions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'dismiss', ids: [id] }),
      });
      if (!res.ok) throw new Error(`POST decisions: ${res.status} ${await res.text()}`);
      decided += 1;
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - started))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return decided;
    },
  };
}

/** CPU seconds of every PostgreSQL process (the server is shared: other databases' work counts too). */
function postgresCpuSeconds(): number {
  return cpuSecondsByName(['postgres']).postgres;
}

async function measure(database: 'postgres' | 'pglite', accounts: number, pending: number, concurrency: number, seconds: number, only?: RegExp): Promise<{ database: string; results: LoadResult[]; searchWords: string[] }> {
  const pg = database === 'postgres' ? await createTestDatabase('cwx_bench_cp') : undefined;
  const config = testControlPlaneConfig(pg ? { database: { url: pg.url, localDataDir: './data/bench-unused' } } : {});
  const bus = new InProcessMessageBus({ deliveryLimit: 3, retryDelayMs: 20 });
  const app: INestApplication = await createControlPlaneApp({ config, inMemoryDatabase: !pg, scheduler: false, bus, messaging: false, embeddedWorker: false });
  try {
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer() as { address(): { port: number } }).address().port;
    const baseUrl = `http://127.0.0.1:${port}`;
    const token = await partnerToken(PARTNER, { expiresIn: '2h' });
    // The first call provisions the partner row.
    const first = await fetch(`${baseUrl}/partners/${PARTNER}/integration`, { headers: { authorization: `Bearer ${token}` } });
    if (!first.ok) throw new Error(`GET integration: ${first.status} ${await first.text()}`);
    const db = app.get<Database>(DATABASE);
    const { runId, words } = await seed(db, accounts);
    const accountIds = (await db.select({ id: accountMappings.accountId }).from(accountMappings).where(sql`${accountMappings.partnerId} = ${PARTNER}`)).map((r) => r.id);
    await seedReview(db, accountIds, pending);
    const pages = Math.ceil(accounts / 50);
    const base = `/partners/${PARTNER}`;
    const targets: Target[] = [
      { name: 'accounts, page 1', paths: [`${base}/accounts?page=1&pageSize=50`] },
      { name: `accounts, pages 1–${pages} in turn`, paths: Array.from({ length: pages }, (_, i) => `${base}/accounts?page=${i + 1}&pageSize=50`) },
      { name: `accounts, q=${words[0]} (common)`, paths: [`${base}/accounts?page=1&pageSize=50&q=${encodeURIComponent(words[0])}`] },
      { name: `accounts, q=${words[1]} (rare)`, paths: [`${base}/accounts?page=1&pageSize=50&q=${encodeURIComponent(words[1])}`] },
      { name: 'accounts, state=suggested', paths: [`${base}/accounts?page=1&pageSize=50&state=suggested`] },
      { name: 'accounts, state=mapped, page 50', paths: [`${base}/accounts?page=50&pageSize=50&state=mapped`] },
      { name: 'integration status', paths: [`${base}/integration`] },
      { name: 'run status', paths: [`${base}/runs/${runId}`] },
      { name: `review queue (${pending} pending), first 100 with totals`, paths: [`${base}/review/changes?limit=100`] },
      { name: 'review queue, class=decrease', paths: [`${base}/review/changes?limit=100&class=decrease`] },
      { name: 'review queue, one account', paths: accountIds.slice(0, 200).map((id) => `${base}/review/changes?limit=100&accountId=${encodeURIComponent(id)}`) },
      { name: 'review queue, pages in turn', paths: Array.from({ length: Math.ceil(pending / 100) }, (_, i) => `${base}/review/changes?limit=100&offset=${i * 100}`) },
      // Last: they dismiss changes (every decision changes every page's totals, so each page is read again after it).
      { name: 'review queue, first 100, one decision every 100 ms', paths: [`${base}/review/changes?limit=100`], decideEveryMs: 100 },
      { name: 'review queue, pages in turn, one decision every 100 ms', paths: Array.from({ length: Math.ceil(pending / 100) }, (_, i) => `${base}/review/changes?limit=100&offset=${i * 100}`), decideEveryMs: 100 },
    ];
    const results: LoadResult[] = [];
    for (const target of targets.filter((t) => !only || only.test(t.name))) {
      const cpuBefore = process.cpuUsage();
      const pgBefore = postgresCpuSeconds();
      const decider = target.decideEveryMs ? startDeciding(db, baseUrl, token, target.decideEveryMs) : undefined;
      const loaded = await loadInChild({ baseUrl, token, target, concurrency, seconds });
      const decisions = await decider?.stop();
      const cpu = process.cpuUsage(cpuBefore);
      // The warm-up second is included in the CPU deltas: count its requests at the measured rate.
      const requests = loaded.requests + loaded.perSecond;
      const result: LoadResult = {
        ...loaded,
        serverCpuMsPerRequest: Math.round(((cpu.user + cpu.system) / 1000 / requests) * 1000) / 1000,
        postgresCpuMsPerRequest: Math.round((((postgresCpuSeconds() - pgBefore) * 1000) / requests) * 1000) / 1000,
        ...(decisions === undefined ? {} : { decisions }),
      };
      process.stderr.write(`[bench] ${database}: ${JSON.stringify(result)}\n`);
      results.push(result);
    }
    return { database, results, searchWords: words };
  } finally {
    await app.close();
    await bus.close();
    await pg?.drop();
  }
}

async function main(): Promise<void> {
  const args = argsOf(process.argv.slice(2));
  const accounts = Number(args.get('accounts') ?? 10_000);
  const concurrency = Number(args.get('concurrency') ?? 50);
  const seconds = Number(args.get('seconds') ?? 10);
  const pending = Number(args.get('pending') ?? 10_000);
  const which = args.get('database') ?? 'postgres';
  const databases = which === 'both' ? (['postgres', 'pglite'] as const) : [which as 'postgres' | 'pglite'];
  const startUptime = uptime();
  const measured = [];
  const only = args.has('only') ? new RegExp(args.get('only') ?? '') : undefined;
  for (const database of databases) measured.push(await measure(database, accounts, pending, concurrency, seconds, only));
  console.log(`| database | endpoint | requests | errors | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | server CPU ms/req | PostgreSQL CPU ms/req |`);
  console.log(`|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const m of measured) {
    for (const r of m.results) console.log(`| ${m.database} | ${r.name} | ${r.requests} | ${r.errors} | ${r.perSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p90Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.serverCpuMsPerRequest?.toFixed(2) ?? ''} | ${m.database === 'postgres' ? (r.postgresCpuMsPerRequest?.toFixed(2) ?? '') : ''} |`);
  }
  const report = {
    benchmark: 'control-plane',
    date: new Date().toISOString(),
    machine: { nproc: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, uptimeAtStart: startUptime, uptimeAtEnd: uptime(), shared: 'yes' },
    options: { accounts, pending, concurrency, seconds, databases },
    measured,
  };
  const out = args.get('out') ?? join(REPO, 'bench/results', `control-plane-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(out);
}

if (process.argv.includes('--load-child')) {
  loadChild().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(1);
    },
  );
}
