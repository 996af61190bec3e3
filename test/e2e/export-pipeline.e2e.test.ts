import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { like } from 'drizzle-orm';
import { catalogIdentifierFor } from '@cwx/domain';
import { outbox, type DatabaseHandle } from '@cwx/persistence';
import { DATABASE_HANDLE } from '../../apps/control-plane/src/database/database.module';
import { RUN_WINDOW } from '../../apps/control-plane/src/messaging/run-window';
import { AmqpMessageBus, InProcessMessageBus } from '@cwx/messaging';
import { FolderPlatformSource } from '@cwx/platform';
import { generatePartner, mutatePartner, writePartnerToFolder, type GeneratedPartner } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { connectPartnerToSimulator, partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';
import { createTestDatabase } from '../support/postgres';
import { createTestVhost, type TestVhost } from '../support/rabbitmq';
import { spawnWorker, stopWorker, waitUntilConsuming, type WorkerProcess } from '../support/workers';

const PARTNER = 'fleet-msp';
const ACCOUNTS = 50;
const WRITE = /^(POST|PATCH|PUT|DELETE)$/;

/**
 * The main job end to end, in both modes. Fleet: a generated partner exported into the simulator by two
 * worker processes through the real RabbitMQ and PostgreSQL. Local: one process, PGlite and the
 * in-process queue, with the same handlers. Then re-exported unchanged, then with changes, then (fleet)
 * with a worker killed mid-run.
 */
describe.each(['fleet', 'local'] as const)('export (%s mode)', (mode) => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let pg: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let partner: GeneratedPartner;
  let token: string;
  let workers: WorkerProcess[] = [];
  let workerEnv: Record<string, string>;
  let vhost: TestVhost | undefined; // fleet mode: the broker's queues live in a vhost of the suite's own, dropped at the end
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const http = () => request(cp.app.getHttpServer());
  const as = (req: request.Test) => req.auth(token, { type: 'bearer' });
  const writes = () => sim.requests().filter((r) => WRITE.test(r.method) && r.status < 400 && r.status > 0);

  beforeAll(async () => {
    sim = await startSimulator();
    pg = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-fleet-'));
    partner = generatePartner({ partnerId: PARTNER, seed: 7, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 6 }, usersPerAccount: { min: 0, max: 4 } });
    await writePartnerToFolder(partner, dataDir);

    const key = randomBytes(32);
    if (mode === 'fleet') vhost = await createTestVhost('cwx-test-pipeline');
    const amqpUrl = vhost?.url ?? '';
    const bus = mode === 'local' ? new InProcessMessageBus({ deliveryLimit: 3, retryDelayMs: 20 }) : await AmqpMessageBus.connect({ url: amqpUrl, queuePrefix: prefix, deliveryLimit: 3, connectionName: 'fleet-test-cp', logger: { info: () => undefined, warn: (c, m) => console.warn('BUS', m, JSON.stringify(c)), error: (c, m) => console.error('BUS', m, JSON.stringify(c)) } });
    cp = await startTestControlPlane({
      database: mode === 'local' ? 'pglite' : { url: pg.url },
      bus,
      embeddedWorker: mode === 'local',
      config: {
        encryption: { keys: new Map([['k1', key]]), activeKeyId: 'k1' },
        connectwise: { clientId: 'fleet-test', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 5000, maxRetries: 2, retryMaxDelayMs: 500 },
        platform: { kind: 'folder', dataDir },
      },
    });
    workerEnv = {
      DATABASE_URL: pg.url,
      AMQP_URL: amqpUrl,
      AMQP_QUEUE_PREFIX: prefix,
      AMQP_DELIVERY_LIMIT: '3',
      AMQP_PREFETCH: '4',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CW_BUDGET_KEY_PREFIX: `${prefix}:`,
      CW_BUDGET_PER_MINUTE: '60000',
      CREDENTIALS_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
      CW_EXTRA_ALLOWED_ORIGINS: sim.baseUrl,
      OUTBOUND_ALLOW_PRIVATE: 'true', // the simulator listens on loopback
      CW_CLIENT_ID: 'fleet-test',
      CW_RETRY_MAX_DELAY_MS: '500',
      PLATFORM_DATA_DIR: dataDir,
    };
    workers = mode === 'local' ? [] : [spawnWorker(workerEnv), spawnWorker(workerEnv)];
    await Promise.all(workers.map((w) => waitUntilConsuming(w)));

    token = await partnerToken(PARTNER);
    await connectPartnerToSimulator(cp.app, PARTNER, token, sim.baseUrl, {
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
      connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, unitOfMeasureId: 1, agreementTypeId: 2, billingCycleId: 2 },
    });
    const list = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 500 }).expect(200);
    for (const account of list.body.items as { accountId: string; accountName: string; version: number }[]) {
      await as(http().put(`/partners/${PARTNER}/accounts/${account.accountId}/mapping`))
        .send({ version: account.version, createCompany: { name: account.accountName.slice(0, 50), identifier: `Fleet${account.accountId.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 25), city: 'Springfield' }, createAgreement: {} })
        .expect(200);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await cp?.close();
    await cp?.bus.close();
    await sim?.close();
    await pg?.drop();
    await vhost?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function runExport(): Promise<{ id: string; status: string; total: number; done: number; failed: number }> {
    const started = await as(http().post(`/partners/${PARTNER}/runs`)).expect(201);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const run = await as(http().get(`/partners/${PARTNER}/runs/${started.body.id}`)).expect(200);
      if (!['queued', 'running'].includes(run.body.status)) return run.body;
      if (Date.now() > deadline) throw new Error(`run did not finish: ${JSON.stringify(run.body)}\n${workers.map((w) => w.output().slice(-3000)).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * What ConnectWise must hold: per agreement, per catalog identifier, quantity / cost / price. The default billing
   * policies apply: a suspended or cancelled account is not billed (its lines at 0), and a SKU with no retail price
   * is not written (`unpriced`: neither expected nor required at 0).
   */
  async function expectedAdditions(): Promise<Map<number, { lines: Map<string, { quantity: number; unitCost: number; unitPrice?: number }>; unpriced: Set<string> }>> {
    const source = new FolderPlatformSource(dataDir);
    const prices = new Map((await source.getRetailPrices(PARTNER)).prices.map((p) => [p.sku, p.price]));
    const list = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 500 }).expect(200);
    const expected = new Map<number, { lines: Map<string, { quantity: number; unitCost: number; unitPrice?: number }>; unpriced: Set<string> }>();
    for (const account of list.body.items as { accountId: string; agreement: { id: number } }[]) {
      const lines = new Map<string, { quantity: number; unitCost: number; unitPrice?: number }>();
      const unpriced = new Set<string>();
      const billed = billedAccount(account.accountId);
      for (const s of billed ? await source.getSubscriptions(PARTNER, account.accountId) : []) {
        if (!prices.has(s.sku)) unpriced.add(catalogIdentifierFor(s.sku));
        else if (s.quantity > 0) lines.set(catalogIdentifierFor(s.sku), { quantity: s.quantity, unitCost: s.unitCost, unitPrice: prices.get(s.sku) });
      }
      expected.set(account.agreement.id, { lines, unpriced });
    }
    return expected;
  }

  /** Active on the platform: billed. Suspended and cancelled accounts are zeroed by the default policy. */
  function billedAccount(accountId: string): boolean {
    return partner.accounts.find((a) => a.account.id === accountId)?.account.status === 'active';
  }

  function actualAdditions(agreementId: number) {
    const identifiers = new Map(sim.state.catalogItems().map((c) => [c.id, c.identifier as string]));
    return sim.state.additions(agreementId).map((a) => ({
      identifier: identifiers.get((a.product as { id: number }).id) ?? '?',
      quantity: a.quantity as number,
      unitCost: a.unitCost as number | undefined,
      unitPrice: a.unitPrice as number | undefined,
      cancelled: Boolean(a.cancelledDate),
    }));
  }

  async function expectConnectWiseMatches(): Promise<void> {
    const expected = await expectedAdditions();
    for (const [agreementId, { lines, unpriced }] of expected) {
      const actual = actualAdditions(agreementId);
      // never a second addition for the same SKU on an agreement
      expect(new Set(actual.map((a) => a.identifier)).size).toBe(actual.length);
      for (const [identifier, line] of lines) {
        const found = actual.find((a) => a.identifier === identifier);
        expect(found).toBeDefined();
        expect(found!.quantity).toBeCloseTo(line.quantity, 2);
        expect(found!.unitCost).toBeCloseTo(line.unitCost, 2);
        if (line.unitPrice !== undefined) expect(found!.unitPrice).toBeCloseTo(line.unitPrice, 2);
      }
      for (const extra of actual.filter((a) => !lines.has(a.identifier) && !unpriced.has(a.identifier))) expect(extra.quantity).toBe(0);
      const csvs = sim.state.documents().filter((d) => (d as { recordId?: number }).recordId === agreementId);
      expect(csvs.length).toBeLessThanOrEqual(1);
    }
    const identifiers = sim.state.catalogItems().map((c) => String(c.identifier).toLowerCase());
    expect(new Set(identifiers).size).toBe(identifiers.length);
  }

  async function logRows(runId: string): Promise<{ accountId: string; status: string }[]> {
    const res = await as(http().get(`/partners/${PARTNER}/runs/${runId}/log`)).query({ pageSize: 500 }).expect(200);
    return res.body.items;
  }

  it('first export: every account, the right additions, one users CSV per agreement, one log row per account', async () => {
    const run = await runExport();
    expect(run).toMatchObject({ status: 'succeeded', total: ACCOUNTS, done: ACCOUNTS, failed: 0 });
    const rows = await logRows(run.id);
    expect(rows).toHaveLength(ACCOUNTS);
    expect(new Set(rows.map((r) => r.accountId)).size).toBe(ACCOUNTS);
    // more accounts than the run's window: the held jobs were all released, and published once each
    const handle = cp.app.get<DatabaseHandle>(DATABASE_HANDLE);
    const outboxRows = await handle.db.select().from(outbox).where(like(outbox.messageId, `${run.id}:%`));
    expect(ACCOUNTS).toBeGreaterThan(cp.config.messaging.runWindow ?? RUN_WINDOW);
    expect(outboxRows).toHaveLength(ACCOUNTS);
    expect(outboxRows.every((r) => r.heldForRun === null && r.publishedAt !== null)).toBe(true);
    await expectConnectWiseMatches();
    const withUsers = partner.accounts.filter((a) => a.users.length > 0).length;
    expect(sim.state.documents().length).toBeGreaterThanOrEqual(withUsers > 0 ? 1 : 0);
  }, 120_000);

  it('a second run with nothing changed makes zero writes', async () => {
    sim.resetRequests();
    const run = await runExport();
    expect(run).toMatchObject({ status: 'succeeded', done: ACCOUNTS, failed: 0 });
    expect(writes()).toEqual([]);
    const rows = await logRows(run.id);
    expect(rows.every((r) => r.status === 'unchanged')).toBe(true);
  }, 120_000);

  it('after changes on the platform, only those writes happen', async () => {
    const mutated = mutatePartner(partner, { seed: 11, changedShare: 0.2 });
    partner = mutated.partner;
    await writePartnerToFolder(partner, dataDir);
    const priced = new Set(partner.retailPrices.map((p) => p.sku));
    // Changes the billing policies let through: on an active account, to a SKU with a retail price.
    const changedAccounts = new Set(
      mutated.changes.flatMap((c) => ('accountId' in c && billedAccount(c.accountId) && priced.has(c.sku) ? [c.accountId] : [])),
    );
    sim.resetRequests();
    const run = await runExport();
    expect(run).toMatchObject({ status: 'succeeded', failed: 0 });
    const rows = await logRows(run.id);
    const changed = rows.filter((r) => r.status === 'changed').map((r) => r.accountId);
    expect(new Set(changed)).toEqual(changedAccounts);
    expect(writes().length).toBeGreaterThan(0);
    expect(writes().length).toBeLessThanOrEqual(mutated.changes.length * 2 + changedAccounts.size);
    await expectConnectWiseMatches();
  }, 120_000);

  // Only the fleet has worker processes to kill; local mode's crash story is the outbox (see README).
  const fleetOnly = (name: string, fn: () => Promise<void>, timeout: number) => (mode === 'fleet' ? it(name, fn, timeout) : undefined);

  fleetOnly('a worker killed with SIGKILL mid-run: the run completes with no duplicates and one log row per account', async () => {
    const mutated = mutatePartner(partner, { seed: 12, changedShare: 0.6 });
    partner = mutated.partner;
    await writePartnerToFolder(partner, dataDir);
    sim.setFaults({ latencyMs: 15 });
    const started = await as(http().post(`/partners/${PARTNER}/runs`)).expect(201);
    for (;;) {
      const run = await as(http().get(`/partners/${PARTNER}/runs/${started.body.id}`)).expect(200);
      if (run.body.done >= 5) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    workers[0].child.kill('SIGKILL');
    await workers[0].exited;
    const replacement = spawnWorker(workerEnv);
    workers.push(replacement);
    await waitUntilConsuming(replacement);
    const deadline = Date.now() + 90_000;
    let final: { status: string; done: number; total: number; failed: number; id: string };
    for (;;) {
      final = (await as(http().get(`/partners/${PARTNER}/runs/${started.body.id}`)).expect(200)).body;
      if (!['queued', 'running'].includes(final.status)) break;
      if (Date.now() > deadline) throw new Error('run did not finish after the kill');
      await new Promise((r) => setTimeout(r, 250));
    }
    sim.setFaults({ latencyMs: 0 });
    expect(final).toMatchObject({ status: 'succeeded', done: ACCOUNTS, failed: 0 });
    const rows = await logRows(final.id);
    expect(rows).toHaveLength(ACCOUNTS);
    await expectConnectWiseMatches();
  }, 150_000);
});
