import { mutatePartner } from '@cwx/platform-testing';
import type { RecordedRequest } from '../../apps/connectwise-sim/src/testing';
import { isClean, summarise } from './checker';
import { Fleet } from './fleet';
import { faultSeed, seededRandom } from './prng';

const ROUNDS = 3;
const ACCOUNTS = 8;
const SEED = faultSeed(19);

const isAdditionWrite = (r: RecordedRequest) => r.status > 0 && r.status < 400 && /^(POST|PATCH)$/.test(r.method) && /\/additions/.test(r.apiPath);

/**
 * A worker killed with SIGKILL while it applies approved changes (the review queue's run of approved changes), right
 * after a seeded addition write was answered. The job is redelivered to another worker: every approved change must
 * reach ConnectWise exactly once (one write per line), be marked applied once (one audit entry), and ConnectWise must
 * end up holding the platform's values.
 */
describe('faults: a worker killed while applying approved changes', () => {
  let fleet: Fleet;
  const rng = seededRandom(SEED);
  const table: { round: number; nth: number; killed: boolean; approved: number; writes: number; summary: string }[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      partnerId: 'review-kill-msp',
      partner: { seed: SEED, accounts: ACCOUNTS, skusPerAccount: { min: 2, max: 4 }, usersPerAccount: 1 },
      settings: { usersList: false, cost: false }, // unit cost never waits (not billed to the customer): left out so every write here is a held one
    });
    expect((await fleet.runExport()).status).toBe('succeeded');
    await fleet
      .as(fleet.http().put(`/partners/${fleet.partnerId}/review/policy`))
      .send({ preset: 'everything-waits' })
      .expect(200);
  }, 180_000);

  afterAll(async () => {
    if (table.length > 0) {
      console.log(`[faults] review apply SIGKILL (seed ${SEED}):\n${table.map((t) => `  round ${t.round} kill after write #${t.nth} killed=${t.killed} approved=${t.approved} writes=${t.writes}: ${t.summary}`).join('\n')}`);
    }
    await fleet?.close();
  }, 60_000);

  // The kill lands at a random point after ConnectWise answered the write: before or after the worker saved the
  // ownership record of a created line. Killed before, the redelivered run must adopt the line (no second create) and
  // own it from then on, or the next round's change to that line is never planned (the bug fixed on 2026-12-06:
  // the approved-only run dropped adoptions; test/export/review.test.ts pins that case deterministically).
  it(`${ROUNDS} rounds: held, approved in bulk, applied with a worker killed mid-way: each change written once, applied once, values right`, async () => {
    fleet.sim.setFaults({ latencyMs: 8 });
    for (let round = 0; round < ROUNDS; round++) {
      const mutated = mutatePartner(fleet.partner, { seed: SEED * 100 + round, changedShare: 1, retailPriceChanges: 1 });
      await fleet.writePartner(mutated.partner);
      fleet.sim.resetRequests();
      expect((await fleet.runExport()).status).toBe('succeeded');
      expect(fleet.sim.requests().filter(isAdditionWrite)).toEqual([]); // everything waits

      const queue = await fleet.as(fleet.http().get(`/partners/${fleet.partnerId}/review/changes`)).query({ limit: 500 }).expect(200);
      const ids = (queue.body.items as { id: number; accountId: string }[]).map((c) => c.id);
      const accountsWithChanges = new Set((queue.body.items as { accountId: string }[]).map((c) => c.accountId));
      expect(ids.length).toBeGreaterThan(2);
      await fleet
        .as(fleet.http().post(`/partners/${fleet.partnerId}/review/changes/decisions`))
        .send({ action: 'approve', ids })
        .expect(200);

      fleet.sim.resetRequests();
      const nth = rng.int(1, Math.min(ids.length, 6));
      const start = async () => (await fleet.as(fleet.http().post(`/partners/${fleet.partnerId}/review/apply`)).expect(202)).body.id as string;
      const { runId, run: result, killed } = await fleet.runKillingOneWorker({ matches: isAdditionWrite, nth }, start, 90_000);

      const writes = fleet.sim.requests().filter(isAdditionWrite);
      // One write per approved change: never a second PATCH of an addition, no more writes than changes (a repeated
      // POST would show as one more write, and as a duplicate addition to the checker).
      const patched = writes.filter((w) => w.method === 'PATCH').map((w) => w.apiPath);
      const report = await fleet.check([runId], undefined, accountsWithChanges);
      table.push({ round, nth, killed, approved: ids.length, writes: writes.length, summary: summarise(report) });
      expect(result).toMatchObject({ status: 'succeeded', failed: 0 });
      expect(patched.length).toBe(new Set(patched).size);
      expect(writes.length).toBe(ids.length);
      expect({ clean: isClean(report), wrongValues: report.wrongValues, logMismatches: report.logMismatches }).toEqual({ clean: true, wrongValues: [], logMismatches: [] });

      const applied = await fleet.as(fleet.http().get(`/partners/${fleet.partnerId}/review/changes`)).query({ status: 'applied', limit: 500 }).expect(200);
      expect((applied.body.items as { id: number }[]).filter((c) => ids.includes(c.id))).toHaveLength(ids.length);
      const csv = await fleet.as(fleet.http().get(`/partners/${fleet.partnerId}/review/decisions.csv`)).expect(200);
      const applies = csv.text.split('\n').filter((l) => /"apply"/.test(l)).map((l) => l.split(',').pop());
      expect(applies.length).toBe(new Set(applies).size); // each change marked applied once
    }
    expect(table.filter((t) => t.killed).length).toBeGreaterThanOrEqual(Math.ceil(ROUNDS * 0.6));
  }, 900_000);
});
