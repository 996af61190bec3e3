import { mutatePartner } from '@cwx/platform-testing';
import type { RecordedRequest } from '../../apps/connectwise-sim/src/testing';
import { isClean, summarise, type CheckReport } from './checker';
import { Fleet } from './fleet';
import { faultSeed, seededRandom } from './prng';

const RUNS = 20;
const ACCOUNTS = 15;
const SEED = faultSeed(8);

/** Where a worker is killed: right after the simulator answered the Nth matching request. */
interface KillPoint {
  name: string;
  matches(r: RecordedRequest): boolean;
  nth: number;
}

const isWrite = (r: RecordedRequest) => r.status > 0 && r.status < 400;
const POINTS: Record<string, (nth: number) => KillPoint> = {
  catalogCreate: (nth) => ({ name: `catalog POST #${nth}`, nth, matches: (r) => isWrite(r) && r.method === 'POST' && r.apiPath === '/procurement/catalog' }),
  catalogRead: (nth) => ({ name: `catalog GET #${nth}`, nth, matches: (r) => isWrite(r) && r.method === 'GET' && r.apiPath === '/procurement/catalog' }),
  additionWrite: (nth) => ({ name: `addition POST/PATCH #${nth}`, nth, matches: (r) => isWrite(r) && /^(POST|PATCH)$/.test(r.method) && /\/additions/.test(r.apiPath) }),
  csvUpload: (nth) => ({ name: `users CSV upload #${nth}`, nth, matches: (r) => isWrite(r) && r.method === 'POST' && r.apiPath === '/system/documents' }),
  csvDelete: (nth) => ({ name: `old users CSV delete #${nth}`, nth, matches: (r) => isWrite(r) && r.method === 'DELETE' && r.apiPath.startsWith('/system/documents/') }),
};

/**
 * Jepsen-style: 20 runs, each with a worker process killed with SIGKILL at a seeded point right after a
 * ConnectWise answer (so after a write and before the job's ack), in the catalog phase, the additions or
 * the users CSV. The killed worker is the one that sent the request (each worker has its own clientId).
 * After every run the checker counts duplicates, lost results and wrong values; all must be zero.
 */
describe('faults: export workers killed with SIGKILL at random points', () => {
  let fleet: Fleet;
  const rng = seededRandom(SEED);
  const table: { run: number; point: string; killed: boolean; status: string; report: CheckReport }[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      partnerId: 'kill-msp',
      partner: { seed: SEED, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 4 }, usersPerAccount: { min: 1, max: 3 } },
    });
  }, 120_000);

  afterAll(async () => {
    if (table.length > 0) {
      const killed = table.filter((t) => t.killed).length;
      console.log(`[faults] worker SIGKILL (seed ${SEED}): ${killed} kills in ${table.length} runs\n${table.map((t) => `  run ${t.run} ${t.point} killed=${t.killed} ${t.status}: ${summarise(t.report)}`).join('\n')}`);
    }
    await fleet?.close();
  }, 60_000);

  it(`${RUNS} runs, a worker killed in each: every run completes, no duplicate, one log row per account`, async () => {
    fleet.sim.setFaults({ latencyMs: 8 });
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) {
        // Something to write in every run: platform changes on half the accounts, new users on a few.
        const mutated = mutatePartner(fleet.partner, { seed: SEED * 100 + run, changedShare: 0.5, retailPriceChanges: 1 });
        for (let i = 0; i < 3; i++) {
          const account = rng.pick(mutated.partner.accounts);
          account.users.push({ id: `u-${run}-${i}`, email: `u${run}${i}@example.test`, displayName: `User ${run}.${i}`, services: [{ name: 'Mail', enabled: true }] });
        }
        await fleet.writePartner(mutated.partner);
      }
      const kind = run === 0 ? 'catalogCreate' : rng.pick(['catalogRead', 'additionWrite', 'additionWrite', 'csvUpload', 'csvDelete'] as const);
      const point = POINTS[kind](kind === 'catalogRead' ? 1 : rng.int(1, kind === 'additionWrite' ? 8 : 3));
      // The replacement joins as soon as the kill happened; the run must finish either way.
      const { runId, run: result, killed } = await fleet.runKillingOneWorker(point, () => fleet.startRun());
      const report = await fleet.check([runId]);
      table.push({ run, point: point.name, killed, status: result.status, report });
      expect({ run, point: point.name, status: result.status, failed: result.failed, done: result.done }).toEqual({
        run,
        point: point.name,
        status: 'succeeded',
        failed: 0,
        done: ACCOUNTS,
      });
      expect(summarise(report)).toBe(summarise({ ...report, duplicateAdditions: [], duplicateCatalogItems: [], duplicateUsersCsvs: [], runsNotTerminal: [], logMismatches: [], wrongValues: [] }));
      expect(isClean(report)).toBe(true);
    }
    // The schedule must actually have injected faults: most kill points are reached.
    expect(table.filter((t) => t.killed).length).toBeGreaterThanOrEqual(RUNS * 0.6);
  }, 600_000);
});
