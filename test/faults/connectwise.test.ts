import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';
import type { RecordedRequest } from '../../apps/connectwise-sim/src/testing';
import { partnerToken, TEST_JWT_SECRET } from '../support/control-plane';
import { isClean, summarise } from './checker';
import { Fleet } from './fleet';
import { changeSomething } from './inject';

const ACCOUNTS = 10;
const PRIVATE_KEY = 'demo-private';
const BASIC = Buffer.from(`demo+demo-public:${PRIVATE_KEY}`).toString('base64');
const MAX_RETRIES = 2;
const DELIVERY_LIMIT = 3;
const ROOT = resolve(__dirname, '../..');

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * ConnectWise misbehaves: 429 storms with Retry-After, 500 timeouts, slow answers, dropped connections, and
 * rejected credentials. Runs complete (or fail only the accounts hit, with ConnectWise's message), retries
 * stay bounded, no POST duplicates anything, and no log line of any process holds the private key or the
 * Basic credentials. A second control plane runs as a real process with LOG_LEVEL=debug so its logs can
 * be searched too (it is a replica on the same database and queues, and takes its share of the results).
 */
describe('faults: ConnectWise errors, and no secret in any log', () => {
  let fleet: Fleet;
  let replica: { child: ChildProcess; output: () => string; port: number } | undefined;
  let seed = 100;
  const log: string[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      partnerId: 'cwfault-msp',
      partner: { seed: 31, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 4 }, usersPerAccount: { min: 1, max: 3 } },
      deliveryLimit: DELIVERY_LIMIT,
      connectwise: { maxRetries: MAX_RETRIES, retryMaxDelayMs: 300, requestTimeoutMs: 2000 },
      workerEnv: { LOG_LEVEL: 'debug' },
    });
    const port = await freePort();
    let output = '';
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/apps/control-plane/src/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: fleet.pg.url,
        AMQP_URL: fleet.vhost.url,
        AMQP_QUEUE_PREFIX: fleet.prefix,
        AMQP_DELIVERY_LIMIT: String(DELIVERY_LIMIT),
        // Fleet mode: the replica draws from the partners' budget in Redis, under the workers' keys.
        REDIS_URL: fleet.workerEnv.REDIS_URL,
        CW_BUDGET_KEY_PREFIX: fleet.workerEnv.CW_BUDGET_KEY_PREFIX,
        CW_BUDGET_PER_MINUTE: fleet.workerEnv.CW_BUDGET_PER_MINUTE,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        CREDENTIALS_ENCRYPTION_KEYS: fleet.workerEnv.CREDENTIALS_ENCRYPTION_KEYS,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        CW_EXTRA_ALLOWED_ORIGINS: fleet.sim.baseUrl,
        OUTBOUND_ALLOW_PRIVATE: 'true', // the simulator listens on loopback
        CW_CLIENT_ID: 'fault-replica',
        PLATFORM_DATA_DIR: fleet.dataDir,
        CWX_SCHEDULER: 'false',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    replica = { child, output: () => output, port };
    const deadline = Date.now() + 30_000;
    while (!/control plane \(.*\) listening on/.test(output)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`replica did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Credentials through the replica, so the request carrying the private key is in a debug log.
    const token = await partnerToken(fleet.partnerId);
    await request(`http://127.0.0.1:${port}`)
      .put(`/partners/${fleet.partnerId}/integration/credentials`)
      .auth(token, { type: 'bearer' })
      .send({ site: fleet.sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: PRIVATE_KEY })
      .expect(200);
    const first = await fleet.runExport();
    expect(first).toMatchObject({ status: 'succeeded', done: ACCOUNTS });
  }, 120_000);

  afterAll(async () => {
    if (log.length > 0) console.log(`[faults] connectwise\n${log.map((l) => `  ${l}`).join('\n')}`);
    if (replica && replica.child.exitCode === null) {
      replica.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
    }
    await fleet?.close();
  }, 60_000);

  /** Attempts per distinct request (method, path, query) during the run: each is retried at most MAX_RETRIES times per delivery. */
  function maxAttemptsPerRequest(requests: readonly RecordedRequest[]): number {
    const counts = new Map<string, number>();
    for (const r of requests) {
      if (r.method === 'GET' && r.status < 400 && r.status > 0) continue; // successful reads repeat legitimately across accounts
      const key = `${r.method} ${r.apiPath}?${r.query}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return Math.max(0, ...counts.values());
  }

  async function faultyRun(label: string, inject: () => void) {
    await changeSomething(fleet, seed++);
    await fleet.ensureWorkers(2);
    fleet.sim.resetRequests();
    inject();
    const run = await fleet.runExport(90_000);
    fleet.sim.setFaults({ timeoutRate: 0, dropRate: 0, latencyMs: 0 });
    fleet.sim.clearFailNext();
    const requests = fleet.sim.requests();
    const rows = await fleet.logRows(run.id);
    const failed = rows.filter((r) => r.status === 'failed');
    const report = await fleet.check([run.id]);
    const attempts = maxAttemptsPerRequest(requests);
    const seen = `429 x${requests.filter((r) => r.status === 429).length}, 500 x${requests.filter((r) => r.status === 500).length}, dropped x${requests.filter((r) => r.status === 0).length}`;
    log.push(`${label}: faults seen ${seen}; ${run.status} ${run.done}/${run.total}, failed ${failed.length}, requests ${requests.length}, max attempts of one request ${attempts}; ${summarise(report)}`);
    expect(['succeeded', 'partially_failed']).toContain(run.status);
    expect(run.done).toBe(ACCOUNTS);
    // A failed account says what ConnectWise said.
    for (const row of failed) expect(row.error?.message).toMatch(/ConnectWise|timeout|Too many requests|socket|network|ECONNRESET/i);
    expect(attempts).toBeLessThanOrEqual((MAX_RETRIES + 1) * (DELIVERY_LIMIT + 1));
    expect(report).toMatchObject({ duplicateAdditions: [], duplicateCatalogItems: [], duplicateUsersCsvs: [], runsNotTerminal: [], logMismatches: [] });
    expect(isClean(report)).toBe(true);
    return { run, failed, requests };
  }

  it('a 429 storm with Retry-After in the catalog phase: the run completes, retries bounded', async () => {
    const { run, requests } = await faultyRun('429 storm, catalog phase (8 x Retry-After: 1)', () =>
      fleet.sim.failNext({ path: /procurement\/catalog/, status: 429, count: 8, headers: { 'Retry-After': '1' } }),
    );
    expect(run.status).toBe('succeeded');
    expect(requests.filter((r) => r.status === 429)).toHaveLength(8);
  }, 120_000);

  it('a 429 storm with Retry-After on the account jobs: the run completes, no duplicate', async () => {
    const { run, requests } = await faultyRun('429 storm, account jobs (20 x Retry-After: 1)', () =>
      fleet.sim.failNext({ path: /\/additions/, status: 429, count: 20, headers: { 'Retry-After': '1' } }),
    );
    expect(run.status).toBe('succeeded');
    expect(requests.filter((r) => r.status === 429)).toHaveLength(20);
  }, 120_000);

  // The rate-based cases are exercised whatever the rate draws: forced faults hit requests every faulty run
  // makes (each account job reads its additions; changeSomething gives one account a new SKU, so there is a
  // create), and the rate's draws are seeded (CWX_FAULT_SEED replays another schedule).
  it('500 timeouts on 15% of requests: no POST creates a duplicate', async () => {
    const { requests } = await faultyRun('500 timeouts (3 forced on additions reads, then rate 0.15 seeded)', () => {
      fleet.sim.failNext({ method: 'GET', path: /\/additions$/, status: 500, count: 3 });
      fleet.sim.setFaults({ timeoutRate: 0.15 });
    });
    expect(requests.filter((r) => r.status === 500 && r.method === 'GET' && /\/additions$/.test(r.apiPath)).length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('dropped connections on 10% of requests: no POST creates a duplicate', async () => {
    const { requests } = await faultyRun('dropped connections (an addition create and 2 additions reads forced, then rate 0.1 seeded)', () => {
      fleet.sim.failNext({ method: 'POST', path: /\/additions$/, status: 0, drop: true, count: 1 });
      fleet.sim.failNext({ method: 'GET', path: /\/additions$/, status: 0, drop: true, count: 2 });
      fleet.sim.setFaults({ dropRate: 0.1 });
    });
    const dropped = requests.filter((r) => r.status === 0);
    // The forced drop of a create happened (the seeded rate may also drop its retry, which the order of two workers'
    // requests decides); the checker above finds no duplicate either way.
    expect(dropped.filter((r) => r.method === 'POST' && /\/additions$/.test(r.apiPath)).length).toBeGreaterThanOrEqual(1);
    expect(dropped.length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('slow answers (150 ms each): the run completes', async () => {
    const { run } = await faultyRun('slow answers (150 ms)', () => fleet.sim.setFaults({ latencyMs: 150 }));
    expect(run.status).toBe('succeeded');
  }, 120_000);

  it('ConnectWise answers 500 on every write of one agreement: only that account fails, with ConnectWise\'s message', async () => {
    const mapping = (await fleet.as(fleet.http().get(`/partners/${fleet.partnerId}/accounts`)).query({ pageSize: 1 }).expect(200)).body.items[0] as { accountId: string; agreement: { id: number } };
    const path = new RegExp(`/agreements/${mapping.agreement.id}/additions`);
    const { run, failed } = await faultyRun('500 on one agreement (every attempt)', () => fleet.sim.failNext({ path, status: 500, count: 1000 }));
    fleet.sim.clearFailNext();
    expect(run.status).toBe('partially_failed');
    expect(failed.map((f) => f.accountId)).toEqual([mapping.accountId]);
    expect(failed[0].error?.message).toContain('A timeout has occured');
  }, 120_000);

  it('401: the run stops asking for attention; no log line anywhere holds the private key or the Basic credentials', async () => {
    fleet.sim.failNext({ method: 'GET', path: /\/additions/, status: 401, count: ACCOUNTS, body: { code: 'Unauthorized', message: 'Incorrect public/private key' } });
    const run = await fleet.runExport();
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(/rejected the credentials/i);
    log.push(`401 (${ACCOUNTS} injected): ${run.status}, reason "${run.reason}"`);

    await new Promise((r) => setTimeout(r, 300));
    const outputs = [...fleet.allWorkers.map((w) => w.output()), replica?.output() ?? ''];
    const all = outputs.join('\n');
    // The logs are there (the search is not vacuous): the 401 warning, the replica's request log.
    expect(all).toContain('ConnectWise rejected the credentials');
    expect(replica?.output()).toMatch(/integration\/credentials/);
    for (const secret of [PRIVATE_KEY, BASIC, `Basic ${BASIC}`]) expect(all).not.toContain(secret);
    log.push(`secrets: searched ${outputs.length} processes, ${all.split('\n').length} log lines: private key 0, Basic credentials 0`);
  }, 120_000);
});
