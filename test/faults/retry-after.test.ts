import type { RecordedRequest } from '../../apps/connectwise-sim/src/testing';
import { isClean, summarise } from './checker';
import { Fleet } from './fleet';
import { changeSomething } from './inject';

const ACCOUNTS = 8;

interface Scenario {
  label: string;
  workers: number;
  /** Retry-After (seconds) of the one 429 in the catalog phase, then of the one on the account jobs. */
  catalogSeconds: number;
  accountSeconds: number;
}

/**
 * ConnectWise answers one 429 with a Retry-After of tens of seconds, as it does in production: in the
 * catalog phase, then on the account jobs. The fleet holds off for as long as it was told (nothing reaches
 * ConnectWise meanwhile), the jobs wait for the pause (deferred through the broker's wait queues, never
 * counted as a failed delivery), and the run completes with no failed account and no duplicate. Two
 * fleets (30 s then 60 s, and 60 s then 30 s) run at once, so the four cases cost about 90 s, not 180.
 */
describe('faults: ConnectWise Retry-After of 30 and 60 s, several workers', () => {
  const scenarios: Scenario[] = [
    { label: 'Retry-After 30 s in the catalog phase, then 60 s on the account jobs', workers: 3, catalogSeconds: 30, accountSeconds: 60 },
    { label: 'Retry-After 60 s in the catalog phase, then 30 s on the account jobs', workers: 2, catalogSeconds: 60, accountSeconds: 30 },
  ];
  const fleets: Fleet[] = [];
  const log: string[] = [];

  beforeAll(async () => {
    const started = await Promise.all(
      scenarios.map((s, i) =>
        Fleet.start({
          partnerId: `retry-after-${i + 1}`,
          partner: { seed: 70 + i, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 3 }, usersPerAccount: { min: 1, max: 2 } },
          workers: s.workers,
        }),
      ),
    );
    fleets.push(...started);
    // A first export, so the faulty one updates existing additions (and would duplicate them if it re-created any).
    const first = await Promise.all(fleets.map((f) => f.runExport(120_000)));
    for (const run of first) expect(run).toMatchObject({ status: 'succeeded', done: ACCOUNTS });
  }, 240_000);

  afterAll(async () => {
    if (log.length > 0) console.log(`[faults] retry-after\n${log.map((l) => `  ${l}`).join('\n')}`);
    await Promise.all(fleets.map((f) => f.close()));
  }, 60_000);

  async function throttledRun(fleet: Fleet, scenario: Scenario, seed: number) {
    await changeSomething(fleet, seed);
    fleet.sim.resetRequests();
    fleet.sim.failNext({ method: 'GET', path: /procurement\/catalog/, status: 429, headers: { 'Retry-After': String(scenario.catalogSeconds) } });
    fleet.sim.failNext({ method: 'GET', path: /\/additions/, status: 429, headers: { 'Retry-After': String(scenario.accountSeconds) } });
    const started = Date.now();
    const run = await fleet.runExport(240_000);
    const seconds = (Date.now() - started) / 1000;
    fleet.sim.clearFailNext();
    const requests = fleet.sim.requests();
    const rows = await fleet.logRows(run.id);
    const report = await fleet.check([run.id]);
    const throttles = requests.filter((r) => r.status === 429);
    const early = throttles.map((t, i) => sentDuringPause(requests, t, i === 0 ? scenario.catalogSeconds : scenario.accountSeconds));
    const attempts = rows.map((r) => r.attempts ?? 0);
    log.push(
      `${scenario.label}, ${scenario.workers} workers: ${run.status} ${run.done}/${run.total} in ${seconds.toFixed(1)} s, failed ${run.failed}, ` +
        `429s ${throttles.length}, requests sent during a pause ${early.flat().length}, most deliveries of one job ${Math.max(...attempts)}; ${summarise(report)}`,
    );
    return { run, rows, report, throttles, early, attempts, seconds };
  }

  it('the run completes: 0 failed accounts, 0 duplicates, nothing sent while ConnectWise asked to wait, no job counted a failed delivery', async () => {
    const results = await Promise.all(fleets.map((fleet, i) => throttledRun(fleet, scenarios[i], 400 + i)));
    for (const [i, r] of results.entries()) {
      const s = scenarios[i];
      expect(r.run).toMatchObject({ status: 'succeeded', done: ACCOUNTS, failed: 0 });
      expect(r.throttles.map((t) => t.apiPath)).toEqual([expect.stringMatching(/^\/procurement\/catalog/), expect.stringMatching(/\/additions$/)]);
      expect(r.early).toEqual([[], []]);
      expect(r.seconds).toBeGreaterThanOrEqual(s.catalogSeconds + s.accountSeconds - 1);
      expect(r.attempts).toEqual(new Array<number>(ACCOUNTS).fill(1));
      expect(r.report).toMatchObject({ duplicateAdditions: [], duplicateCatalogItems: [], duplicateUsersCsvs: [], logMismatches: [], wrongValues: [] });
      expect(isClean(r.report)).toBe(true);
    }
  }, 300_000);
});

/** Requests that reached ConnectWise while it had asked us to wait (one already on its way may land in the first 300 ms). */
function sentDuringPause(requests: readonly RecordedRequest[], throttle: RecordedRequest, seconds: number): string[] {
  const at = Date.parse(throttle.time);
  return requests
    .filter((r) => r !== throttle && Date.parse(r.time) > at + 300 && Date.parse(r.time) < at + seconds * 1000 - 200)
    .map((r) => `${r.method} ${r.apiPath} at +${Date.parse(r.time) - at} ms`);
}
