/**
 * Export benchmark: ConnectWise calls against the minimum, wall time against the rate limit.
 *
 *   npm run bench:export -- --accounts 100 --skus-per-account 10 --workers 2 --rate 1000 [--partners 1]
 *       [--phases first,unchanged,changed] [--unchanged-runs 1] [--repeat 1] [--users-max 5]
 *       [--prefetch 4] [--budget-share 0.95] [--changed-share 0.1] [--seed 7] [--review-policy recommended] [--out path.json]
 *
 * Each repetition builds a fresh fleet (fleet.ts), then runs the phases in order: the first export, the
 * unchanged re-export (`--unchanged-runs` times; the control plane's heap after GC is sampled after each
 * run when node runs with --expose-gc), and a re-export after `mutatePartner` changed `--changed-share` of
 * the accounts. All partners run at once. Calls are counted from each simulator's request log, the
 * minimum from the data (minimum.ts). Prints a table and, on the last line, the JSON report's path.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { FolderPlatformSource } from '@cwx/platform';
import { mutatePartner, writePartnerToFolder } from '@cwx/platform-testing';
import { api, type BenchPartner, type Fleet, simJson, startFleet } from './fleet';
import { BENCH_BILLING, type DesiredState, type Minimum, minimumFor, readDesired, type SimSnapshot, verifyState } from './minimum';
import { cpuSecondsByName, cpuSecondsOf, loadAverage, peakRssMiBOf, REPO, uptime } from './processes';

const INFRA = ['postgres', 'beam.smp', 'redis-server'] as const;

type Phase = 'first' | 'unchanged' | 'changed';

interface Options {
  accounts: number;
  skusPerAccount: number;
  workers: number;
  rate: number;
  partners: number;
  phases: Phase[];
  unchangedRuns: number;
  repeat: number;
  usersMax: number;
  prefetch: number;
  budgetShare: number;
  changedShare: number;
  seed: number;
  out?: string;
  timeoutMinutes: number;
  reviewPolicy?: string;
  /** Billing control on (issue 18): product mapping, bundles and price rules (`BENCH_BILLING`), saved before the first run. */
  billing: boolean;
}

function onOff(name: string, value: string | undefined): boolean {
  if (value === undefined || value === 'off') return false;
  if (value === 'on') return true;
  throw new Error(`--${name} is on or off`);
}

function parseArgs(argv: string[]): Options {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    values.set(name, value);
  }
  const num = (name: string, fallback: number) => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const phases = (values.get('phases') ?? 'first,unchanged,changed').split(',').map((p) => p.trim()) as Phase[];
  for (const p of phases) if (!['first', 'unchanged', 'changed'].includes(p)) throw new Error(`unknown phase ${p}`);
  if (phases[0] !== 'first') throw new Error('the phases start with "first" (each repetition starts from an empty ConnectWise)');
  return {
    accounts: num('accounts', 100),
    skusPerAccount: num('skus-per-account', 10),
    workers: num('workers', 1),
    rate: num('rate', 1000),
    partners: num('partners', 1),
    phases,
    unchangedRuns: num('unchanged-runs', 1),
    repeat: num('repeat', 1),
    usersMax: num('users-max', 5),
    prefetch: num('prefetch', 4),
    budgetShare: num('budget-share', 0.95),
    changedShare: num('changed-share', 0.1),
    seed: num('seed', 7),
    out: values.get('out'),
    timeoutMinutes: num('timeout-minutes', 180),
    ...(values.has('review-policy') ? { reviewPolicy: values.get('review-policy') } : {}),
    billing: onOff('billing', values.get('billing')),
  };
}

const KINDS = [
  'additionsGet',
  'additionsPost',
  'additionsPatch',
  'catalogGet',
  'catalogPost',
  'catalogPatch',
  'documentsList',
  'documentsUpload',
  'documentsDelete',
  'other',
] as const;
type Kind = (typeof KINDS)[number];

interface Recorded {
  method: string;
  apiPath: string;
  path: string;
  status: number;
  time: string;
}

function kindOf(r: Recorded): Kind {
  const p = r.apiPath ?? r.path;
  if (/^\/finance\/agreements\/\d+\/additions(\/\d+)?$/.test(p)) {
    if (r.method === 'GET') return 'additionsGet';
    if (r.method === 'POST') return 'additionsPost';
    if (r.method === 'PATCH') return 'additionsPatch';
  }
  if (/^\/procurement\/catalog(\/\d+)?$/.test(p)) {
    if (r.method === 'GET') return 'catalogGet';
    if (r.method === 'POST') return 'catalogPost';
    if (r.method === 'PATCH') return 'catalogPatch';
  }
  if (/^\/system\/documents(\/\d+)?$/.test(p)) {
    if (r.method === 'GET') return 'documentsList';
    if (r.method === 'POST') return 'documentsUpload';
    if (r.method === 'DELETE') return 'documentsDelete';
  }
  return 'other';
}

interface ProcessCost {
  name: string;
  pid: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

interface PartnerOutcome {
  partnerId: string;
  runId: string;
  status: string;
  done: number;
  failed: number;
  changed: number;
  wallSeconds: number;
  calls: number;
  callsByKind: Record<Kind, number>;
  throttled: number;
  writes: number;
  minimum: Minimum;
  boundSeconds: number;
  verify: ReturnType<typeof verifyState>;
  /** Seconds from the run's start: first ConnectWise call, last catalog call, last call. */
  timeline: { firstCallSeconds: number; catalogDoneSeconds: number; lastCallSeconds: number; achievedPerMinute: number; otherCalls: string[] };
}

interface CaseResult {
  phase: Phase;
  repetition: number;
  runIndex: number;
  accounts: number;
  skusPerAccount: number;
  workers: number;
  partners: number;
  rate: number;
  budgetPerMinute: number;
  calls: number;
  callsByKind: Record<Kind, number>;
  minimumCalls: number;
  minimumWrites: number;
  callsOverMinimum: number;
  writes: number;
  wallSeconds: number;
  boundSeconds: number;
  wallOverBound: number;
  largestSinglePartnerWallSeconds: number;
  throttled: number;
  throttledShare: number;
  allSucceeded: boolean;
  perPartner: PartnerOutcome[];
  cpu: {
    workers: ProcessCost[];
    simulators: ProcessCost[];
    /** Whole-machine CPU of PostgreSQL, RabbitMQ (beam.smp) and Redis during the run: shared servers, other users' work included. */
    infrastructure: Record<string, number>;
    controlPlane: { cpuSeconds: number; peakRssMiB: number; heapUsedAfterGcMiB?: number; rssMiB: number } };
  workerCpuSecondsPerCall: number;
  workerCpuMsPerAccount: number;
  load: string;
}

const emptyKinds = (): Record<Kind, number> => Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function waitForRun(fleet: Fleet, partner: BenchPartner, runId: string, deadline: number): Promise<{ status: string; done: number; failed: number; changed: number; endedAt: number }> {
  for (;;) {
    const run = (await api(fleet.baseUrl, partner.token, 'GET', `/partners/${partner.id}/runs/${runId}`)) as {
      status: string;
      done: number;
      failed: number;
      changed: number;
      total: number;
    };
    if (!['queued', 'running'].includes(run.status)) return { ...run, endedAt: performance.now() };
    if (Date.now() > deadline) throw new Error(`run ${runId} of ${partner.id} did not finish: ${JSON.stringify(run)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function runPhase(
  fleet: Fleet,
  options: Options,
  phase: Phase,
  state: Map<string, { desired: DesiredState; before: SimSnapshot; csvHash: Map<string, string> }>,
  repetition: number,
  runIndex: number,
): Promise<CaseResult> {
  const platform = new FolderPlatformSource(fleet.dataDir);
  const minimums = new Map<string, Minimum>();
  for (const partner of fleet.partners) {
    const previous = state.get(partner.id);
    const desired = await readDesired(platform, partner.id, partner.targets);
    const before = previous?.before ?? (await simJson<SimSnapshot>(partner.simUrl, '/__sim/state'));
    const { minimum, csvHash } = minimumFor(desired, before, partner.targets, previous?.csvHash ?? new Map(), options.billing ? BENCH_BILLING : undefined);
    minimums.set(partner.id, minimum);
    state.set(partner.id, { desired, before, csvHash });
    // A fresh request log and a fresh rate-limit window (a day passes between two runs).
    await simJson(partner.simUrl, '/__sim/requests/reset', { method: 'POST' });
    await simJson(partner.simUrl, '/__sim/config', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rateLimitPerMinute: options.rate }) });
  }
  await new Promise((r) => setTimeout(r, 1500)); // idle budget keys in Redis expire after 1 s
  const cpuBefore = new Map([...fleet.workers, ...fleet.partners.map((p) => p.sim)].map((c) => [c.pid, cpuSecondsOf(c.pid) ?? 0]));
  const selfBefore = process.cpuUsage();
  const infraBefore = cpuSecondsByName(INFRA);
  const deadline = Date.now() + options.timeoutMinutes * 60_000;
  const started = performance.now();
  const startedWall = Date.now();
  log(`${phase} (run ${runIndex}): starting ${fleet.partners.length} run(s)`);
  const runs = await Promise.all(
    fleet.partners.map(async (partner) => {
      const run = (await api(fleet.baseUrl, partner.token, 'POST', `/partners/${partner.id}/runs`)) as { id: string };
      return { partner, runId: run.id, result: await waitForRun(fleet, partner, run.id, deadline) };
    }),
  );
  const ended = performance.now();
  const selfAfter = process.cpuUsage(selfBefore);
  const infraAfter = cpuSecondsByName(INFRA);
  const infrastructure = Object.fromEntries(INFRA.map((n) => [n, round(infraAfter[n] - infraBefore[n])]));
  const workers = fleet.workers.map((w) => ({ name: w.name, pid: w.pid, cpuSeconds: round((cpuSecondsOf(w.pid) ?? 0) - (cpuBefore.get(w.pid) ?? 0)), peakRssMiB: round(peakRssMiBOf(w.pid) ?? 0, 1) }));
  const simulators = fleet.partners.map((p) => ({ name: `sim ${p.id}`, pid: p.sim.pid, cpuSeconds: round((cpuSecondsOf(p.sim.pid) ?? 0) - (cpuBefore.get(p.sim.pid) ?? 0)), peakRssMiB: round(peakRssMiBOf(p.sim.pid) ?? 0, 1) }));
  const load = loadAverage();

  const perPartner: PartnerOutcome[] = [];
  for (const { partner, runId, result } of runs) {
    const recorded = await simJson<{ requests: Recorded[] }>(partner.simUrl, '/__sim/requests?limit=100000000');
    const callsByKind = emptyKinds();
    let throttled = 0;
    let writes = 0;
    for (const r of recorded.requests) {
      callsByKind[kindOf(r)] += 1;
      if (r.status === 429) throttled += 1;
      if (/^(POST|PATCH|PUT|DELETE)$/.test(r.method) && r.status > 0 && r.status < 400) writes += 1;
    }
    const startedAt = startedWall;
    const times = recorded.requests.map((r) => (Date.parse(r.time) - startedAt) / 1000);
    const catalogTimes = recorded.requests.filter((r) => kindOf(r).startsWith('catalog')).map((r) => (Date.parse(r.time) - startedAt) / 1000);
    // No spread into Math.min/max: 100,000+ arguments overflow the stack.
    const firstCall = times.length ? times.reduce((a, b) => Math.min(a, b)) : 0;
    const lastCall = times.length ? times.reduce((a, b) => Math.max(a, b)) : 0;
    const timeline = {
      firstCallSeconds: round(firstCall),
      catalogDoneSeconds: round(catalogTimes.length ? catalogTimes.reduce((a, b) => Math.max(a, b)) : 0),
      lastCallSeconds: round(lastCall),
      achievedPerMinute: round((recorded.requests.length / Math.max(0.001, lastCall - firstCall)) * 60, 1),
      otherCalls: [...new Set(recorded.requests.filter((r) => kindOf(r) === 'other').map((r) => `${r.method} ${r.apiPath ?? r.path} ${r.status}`))].slice(0, 10),
    };
    const after = await simJson<SimSnapshot>(partner.simUrl, '/__sim/state');
    const entry = state.get(partner.id)!;
    const verify = verifyState(entry.desired, after, partner.targets, options.billing ? BENCH_BILLING : undefined);
    state.set(partner.id, { ...entry, before: after });
    const minimum = minimums.get(partner.id)!;
    perPartner.push({
      partnerId: partner.id,
      runId,
      status: result.status,
      done: result.done,
      failed: result.failed,
      changed: result.changed,
      wallSeconds: round((result.endedAt - started) / 1000),
      calls: recorded.requests.length,
      callsByKind,
      throttled,
      writes,
      minimum,
      boundSeconds: round((minimum.total / options.rate) * 60),
      verify,
      timeline,
    });
  }
  let heapUsedAfterGcMiB: number | undefined;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    heapUsedAfterGcMiB = round(process.memoryUsage().heapUsed / 2 ** 20, 1);
  }
  const sum = (f: (p: PartnerOutcome) => number) => perPartner.reduce((s, p) => s + f(p), 0);
  const callsByKind = emptyKinds();
  for (const p of perPartner) for (const k of KINDS) callsByKind[k] += p.callsByKind[k];
  const calls = sum((p) => p.calls);
  const minimumCalls = sum((p) => p.minimum.total);
  const wallSeconds = round((ended - started) / 1000);
  const boundSeconds = Math.max(...perPartner.map((p) => p.boundSeconds));
  const workerCpu = workers.reduce((s, w) => s + w.cpuSeconds, 0);
  const accounts = options.accounts * fleet.partners.length;
  return {
    phase,
    repetition,
    runIndex,
    accounts: options.accounts,
    skusPerAccount: options.skusPerAccount,
    workers: options.workers,
    partners: options.partners,
    rate: options.rate,
    budgetPerMinute: Math.floor(options.rate * options.budgetShare),
    calls,
    callsByKind,
    minimumCalls,
    minimumWrites: sum((p) => p.minimum.writes),
    callsOverMinimum: round(calls / minimumCalls, 4),
    writes: sum((p) => p.writes),
    wallSeconds,
    boundSeconds,
    wallOverBound: round(wallSeconds / boundSeconds, 3),
    largestSinglePartnerWallSeconds: Math.max(...perPartner.map((p) => p.wallSeconds)),
    throttled: sum((p) => p.throttled),
    throttledShare: round(sum((p) => p.throttled) / Math.max(1, calls), 5),
    allSucceeded: perPartner.every((p) => p.status === 'succeeded' && p.failed === 0 && p.done === options.accounts),
    perPartner,
    cpu: {
      workers,
      simulators,
      infrastructure,
      controlPlane: {
        cpuSeconds: round((selfAfter.user + selfAfter.system) / 1e6),
        peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
        rssMiB: round(process.memoryUsage().rss / 2 ** 20, 1),
        ...(heapUsedAfterGcMiB !== undefined ? { heapUsedAfterGcMiB } : {}),
      },
    },
    workerCpuSecondsPerCall: round(workerCpu / Math.max(1, calls), 6),
    workerCpuMsPerAccount: round((workerCpu * 1000) / Math.max(1, accounts), 3),
    load,
  };
}

function printTable(cases: CaseResult[]): void {
  const header = ['phase', 'run', 'N', 'W', 'P', 'R/min', 'calls', 'min', 'calls/min', 'writes', 'min writes', 'wall s', 'bound s', 'wall/bound', '429', 'worker CPU s', 'CPU ms/call', 'sim CPU s', 'cp CPU s', 'pg/rmq/redis CPU s', 'cp heap MiB', 'ok'];
  const rows = cases.map((c) => {
    const workerCpu = c.cpu.workers.reduce((s, w) => s + w.cpuSeconds, 0);
    return [
      c.phase,
      `${c.repetition}.${c.runIndex}`,
      c.accounts,
      c.workers,
      c.partners,
      c.rate,
      c.calls,
      c.minimumCalls,
      c.callsOverMinimum.toFixed(3),
      c.writes,
      c.minimumWrites,
      c.wallSeconds.toFixed(1),
      c.boundSeconds.toFixed(1),
      c.wallOverBound.toFixed(2),
      c.throttled,
      workerCpu.toFixed(1),
      (c.workerCpuSecondsPerCall * 1000).toFixed(2),
      c.cpu.simulators.reduce((s, w) => s + w.cpuSeconds, 0).toFixed(1),
      c.cpu.controlPlane.cpuSeconds.toFixed(1),
      INFRA.map((n) => (c.cpu.infrastructure[n] ?? 0).toFixed(1)).join('/'),
      c.cpu.controlPlane.heapUsedAfterGcMiB?.toFixed(1) ?? '',
      c.allSucceeded && c.perPartner.every((p) => p.verify.residualWrites === 0 && p.verify.duplicateAdditions === 0) ? 'yes' : 'NO',
    ].map(String);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`| phase | run | ${KINDS.join(' | ')} |`);
  console.log(`|---|---|${KINDS.map(() => '---:').join('|')}|`);
  for (const c of cases) console.log(`| ${c.phase} | ${c.repetition}.${c.runIndex} | ${KINDS.map((k) => c.callsByKind[k]).join(' | ')} |`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const budget = Math.floor(options.rate * options.budgetShare);
  const machine = { nproc: cpus().length, cpu: cpus()[0]?.model, memGiB: round(totalmem() / 2 ** 30, 1), node: process.version, uptimeAtStart: uptime() };
  log(`machine: ${JSON.stringify(machine)}`);
  const cases: CaseResult[] = [];
  for (let repetition = 1; repetition <= options.repeat; repetition++) {
    const fleet = await startFleet({ ...options, budget }, log);
    try {
      const state = new Map<string, { desired: DesiredState; before: SimSnapshot; csvHash: Map<string, string> }>();
      let runIndex = 0;
      for (const phase of options.phases) {
        if (phase === 'changed') {
          for (const partner of fleet.partners) {
            const mutated = mutatePartner(partner.generated, { seed: options.seed * 1000 + repetition, changedShare: options.changedShare });
            partner.generated = mutated.partner;
            await writePartnerToFolder(mutated.partner, fleet.dataDir);
          }
        }
        const times = phase === 'unchanged' ? options.unchangedRuns : 1;
        for (let t = 0; t < times; t++) {
          const result = await runPhase(fleet, options, phase, state, repetition, ++runIndex);
          cases.push(result);
          log(
            `${phase}: calls ${result.calls} / min ${result.minimumCalls} = ${result.callsOverMinimum}, writes ${result.writes} (min ${result.minimumWrites}), ` +
              `wall ${result.wallSeconds} s / bound ${result.boundSeconds} s = ${result.wallOverBound}, 429 ${result.throttled}, ok ${result.allSucceeded}`,
          );
        }
      }
    } finally {
      await fleet.close();
    }
  }
  printTable(cases);
  const report = {
    benchmark: 'export',
    startedBy: `npm run bench:export -- ${process.argv.slice(2).join(' ')}`,
    date: new Date().toISOString(),
    machine: { ...machine, uptimeAtEnd: uptime(), shared: 'yes: other engineers ran test suites on this machine at the same time' },
    options: { ...options, budgetPerMinute: budget },
    cases,
  };
  const out = options.out ?? join(REPO, 'bench/results', `export-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(out);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
