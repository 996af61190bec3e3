import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { rabbitmqctl } from '../support/rabbitmq';
import { TEST_POSTGRES_URL } from '../support/postgres';
import { isClean, summarise } from './checker';
import { Fleet } from './fleet';
import { changeSomething, injectAt, type Moment } from './inject';

const ACCOUNTS = 15;
const DISRUPTIVE = process.env.CWX_DISRUPTIVE_TESTS === '1';
const exec = promisify(execFile);

/** Terminates every connection to this suite's database only (other suites' databases are untouched). */
async function terminateBackends(databaseUrl: string): Promise<number> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    const res = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    return res.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/**
 * The broker and the database fail under a running export: every AMQP connection of the suite's vhost is
 * closed, every PostgreSQL connection of the suite's database is terminated, at three moments of a run.
 * Publishers and consumers (control plane and workers) must come back, and the checker must find no lost
 * result and no duplicate. Broker and database restarts affect everyone on the machine: only with
 * CWX_DISRUPTIVE_TESTS=1.
 */
describe('faults: RabbitMQ and PostgreSQL connections lost mid-run', () => {
  let fleet: Fleet;
  let seed = 1;
  const log: string[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      partnerId: 'infra-msp',
      partner: { seed: 21, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 4 }, usersPerAccount: { min: 1, max: 3 } },
    });
    fleet.sim.setFaults({ latencyMs: 8 });
  }, 120_000);

  afterAll(async () => {
    if (log.length > 0) console.log(`[faults] infrastructure\n${log.map((l) => `  ${l}`).join('\n')}`);
    await fleet?.close();
  }, 60_000);

  async function faultyRun(label: string, moment: Moment, nth: number, action: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
    await changeSomething(fleet, seed++);
    await fleet.ensureWorkers(2);
    const fault = injectAt(fleet, moment, nth, action);
    const runId = await fleet.startRun();
    const run = await fleet.waitForRun(runId, timeoutMs);
    const fired = await fault.done();
    const report = await fleet.check([runId]);
    for (const d of report.duplicateAdditions) {
      const reqs = fleet.sim.requests().filter((r) => r.apiPath.includes(`/agreements/${d.agreementId}/`)).map((r) => `${r.time} ${r.clientId} ${r.method} ${r.apiPath} ${r.status} ${r.query}`);
      console.log(`DEBUG dup ${JSON.stringify(d)}\n${reqs.join('\n')}\n${fleet.allWorkers.map((w) => w.output().split('\n').filter((l) => /warn|error|retry/i.test(l)).slice(-30).join('\n')).join('\n---\n')}`);
    }
    log.push(`${label} at ${moment} #${nth}: injected=${fired} ${run.status} ${run.done}/${run.total}; ${summarise(report)}`);
    expect({ label, fired, status: run.status, done: run.done, failed: run.failed }).toEqual({ label, fired: true, status: 'succeeded', done: ACCOUNTS, failed: 0 });
    expect(report).toMatchObject({ duplicateAdditions: [], duplicateCatalogItems: [], duplicateUsersCsvs: [], runsNotTerminal: [], logMismatches: [], wrongValues: [] });
    expect(isClean(report)).toBe(true);
  }

  it('a first run without faults sets up ConnectWise', async () => {
    const run = await fleet.runExport();
    expect(run).toMatchObject({ status: 'succeeded', done: ACCOUNTS, failed: 0 });
    expect(isClean(await fleet.check([run.id]))).toBe(true);
  }, 60_000);

  it.each([
    ['catalogPhase', 1],
    ['additionWrite', 3],
    ['csvUpload', 1],
  ] as const)('RabbitMQ: all connections of the vhost closed (%s #%d): publishers and consumers recover, nothing lost', async (moment, nth) => {
    await faultyRun('close_all_connections', moment, nth, () => fleet.vhost.closeConnections('fault test'));
    // Every process is back on the broker: the control plane and both workers.
    const connections = await rabbitmqctl('list_connections', '-p', fleet.vhost.name, 'name');
    expect(connections.trim().split('\n').filter((l) => l.trim()).length).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it.each([
    ['catalogPhase', 1],
    ['additionWrite', 3],
    ['csvUpload', 1],
  ] as const)('PostgreSQL: every connection to the test database terminated (%s #%d): result consumer and workers recover, nothing lost', async (moment, nth) => {
    let terminated = 0;
    await faultyRun('pg_terminate_backend', moment, nth, async () => {
      terminated = await terminateBackends(fleet.pg.url);
    });
    expect(terminated).toBeGreaterThan(0);
  }, 90_000);

  const disruptive = DISRUPTIVE ? it : it.skip;

  disruptive('DISRUPTIVE: RabbitMQ stop_app / start_app mid-run (every vhost on the machine)', async () => {
    await faultyRun(
      'rabbitmqctl stop_app/start_app',
      'additionWrite',
      3,
      async () => {
        await rabbitmqctl('stop_app');
        await new Promise((r) => setTimeout(r, 3000));
        await rabbitmqctl('start_app');
        await rabbitmqctl('await_startup');
      },
      120_000,
    );
  }, 180_000);

  disruptive('DISRUPTIVE: PostgreSQL restarted mid-run (every database on the machine)', async () => {
    const command = (process.env.CWX_PG_RESTART_CMD ?? 'pg_ctlcluster 15 main restart').split(' ');
    await faultyRun('PostgreSQL restart', 'additionWrite', 3, async () => {
      await exec(command[0], command.slice(1), { timeout: 60_000 });
    }, 120_000);
  }, 180_000);
});
