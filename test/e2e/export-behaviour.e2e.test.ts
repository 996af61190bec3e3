import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type request from 'supertest';
import { FolderPlatformSource } from '@cwx/platform';
import { startLocalExportStack, type LocalExportStack, type RunBody as Run } from '../support/control-plane';

const PARTNER = 'behaviour-msp';
const WRITE = /^(POST|PATCH|PUT|DELETE)$/;

/** How runs behave when something is off: nothing to do, a refused write, rejected keys; and the preview. */
describe('export runs (local mode)', () => {
  let stack: LocalExportStack;
  const http = () => stack.http();
  const as = (req: request.Test) => stack.as(req);
  const sim = () => stack.sim;
  const waitFor = (runId: string) => stack.waitForRun(runId);
  const start = () => stack.startRun();

  beforeAll(async () => {
    stack = await startLocalExportStack({
      partnerId: PARTNER,
      partner: { seed: 3, accounts: 6, skusPerAccount: { min: 2, max: 4 }, usersPerAccount: 2 },
      connectwise: { clientId: 'behaviour' },
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('says so when there is nothing to export, and never reports success', async () => {
    const run = await waitFor((await start()).id);
    expect(run).toMatchObject({ status: 'nothing_to_export', total: 0 });
    expect(run.reason).toContain('No account is mapped');
  });

  it('maps the accounts, then previews the plan without writing anything', async () => {
    await stack.mapEveryAccount({ identifierPrefix: 'Beh', city: 'Paris' });
    sim().resetRequests();
    const preview = await as(http().get(`/partners/${PARTNER}/preview`)).expect(200);
    expect(preview.body.applied).toBe(false);
    expect(preview.body.total).toBe(6);
    expect(preview.body.catalog.length).toBeGreaterThan(0);
    expect(preview.body.catalog.every((op: { action: string }) => op.action === 'create')).toBe(true);
    expect(sim().requests().filter((r) => WRITE.test(r.method))).toEqual([]);
  });

  it('refuses a second start while a run is active, with a clear message', async () => {
    sim().setFaults({ latencyMs: 40 });
    const first = await start();
    const second = await as(http().post(`/partners/${PARTNER}/runs`));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'run_already_active', activeRunId: first.id });
    expect(second.body.message).toContain('already running');
    const run = await waitFor(first.id);
    sim().setFaults({ latencyMs: 0 });
    expect(run).toMatchObject({ status: 'succeeded', done: 6, failed: 0 });
  });

  it('a 429 with Retry-After longer than a worker waits: every job waits for the pause (deferred, not a failed attempt) and the run succeeds', async () => {
    sim().resetRequests();
    sim().failNext({ method: 'GET', path: /\/additions/, status: 429, headers: { 'Retry-After': '12' } });
    const run = await waitFor((await start()).id);
    expect(run).toMatchObject({ status: 'succeeded', done: 6, failed: 0 });
    const log = (await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).expect(200)).body as { items: { attempts: number }[] };
    expect(log.items.map((e) => e.attempts)).toEqual([1, 1, 1, 1, 1, 1]); // the wait never counted as a delivery
    const requests = sim().requests();
    const throttled = requests.findIndex((r) => r.status === 429);
    const throttledAt = Date.parse(requests[throttled].time);
    // Nobody sent anything to ConnectWise while it asked us to hold off. Requests already on their way when the 429
    // came back may still land: at most one per other job the worker runs at once (each job has one request out at a
    // time, and its next one waits for the pause). Counted, not timed: how late they land depends on the machine's load.
    const during = requests.slice(throttled + 1).filter((r) => Date.parse(r.time) < throttledAt + 11_500);
    expect(during.length).toBeLessThanOrEqual(stack.cp.config.messaging.prefetch - 1);
    expect(requests.filter((r) => Date.parse(r.time) >= throttledAt + 11_500).length).toBeGreaterThan(0);
  }, 60_000);

  it('a ConnectWise error on one account fails that account, not the run', async () => {
    const one = (await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 1 }).expect(200)).body.items[0];
    const file = join(stack.dataDir, PARTNER, 'accounts', `${one.accountId}.json`);
    const content = JSON.parse(await readFile(file, 'utf8')) as { subscriptions: { quantity: number }[] };
    content.subscriptions[0].quantity += 5;
    await writeFile(file, JSON.stringify(content));
    sim().failNext({ method: 'PATCH', path: new RegExp(`/agreements/${one.agreement.id}/additions/`), status: 400, body: { code: 'InvalidObject', message: 'addition object is invalid', errors: [{ code: 'InvalidField', message: 'Quantity is locked', resource: 'addition', field: 'quantity' }] } });
    const run = await waitFor((await start()).id);
    expect(run).toMatchObject({ status: 'partially_failed', done: 6, failed: 1 });
    const log = await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).query({ status: 'failed' }).expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ accountId: one.accountId, error: { code: 'InvalidObject' } });
    const csv = await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log.csv`)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    // The header, the catalog phase's line, one line per account.
    expect(csv.text.split('\n').filter((l) => l.trim()).length).toBe(8);
  });

  it('an account remapped while its job runs: the job writes nothing more to the old agreement, and the log says why', async () => {
    const one = (await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 1 }).expect(200)).body.items[0] as {
      accountId: string;
      version: number;
      company: { id: number };
      agreement: { id: number };
    };
    const oldAgreement = one.agreement.id;
    const file = join(stack.dataDir, PARTNER, 'accounts', `${one.accountId}.json`);
    const content = JSON.parse(await readFile(file, 'utf8')) as { subscriptions: { sku: string; quantity: number }[] };
    content.subscriptions[0].quantity += 3; // the job has a write to make
    await writeFile(file, JSON.stringify(content));
    const before = structuredClone(sim().state.additions(oldAgreement));
    sim().resetRequests();

    // The job is held on its read of the old agreement's additions while the partner remaps the account.
    const read = sim().holdNext({ method: 'GET', path: new RegExp(`/agreements/${oldAgreement}/additions$`) });
    const run = await start();
    await read.reached;
    const remap = await as(http().put(`/partners/${PARTNER}/accounts/${one.accountId}/mapping`))
      .send({ version: one.version, companyId: one.company.id, createAgreement: { name: 'Remapped mid-run' } })
      .expect(200);
    const newAgreement = remap.body.account.agreement.id as number;
    expect(newAgreement).not.toBe(oldAgreement);
    read.release();

    const done = await waitFor(run.id);
    expect(sim().state.additions(oldAgreement)).toEqual(before);
    expect(sim().requests().filter((r) => WRITE.test(r.method) && r.apiPath.includes(`/agreements/${oldAgreement}/`))).toEqual([]);
    const entry = (await as(http().get(`/partners/${PARTNER}/runs/${done.id}/log`)).query({ status: 'skipped' }).expect(200)).body.items[0];
    expect(entry).toMatchObject({ accountId: one.accountId, status: 'skipped', operations: [], error: { kind: 'mapping-changed' } });
    expect(entry.error.message).toContain(`remapped from agreement #${oldAgreement} to #${newAgreement}`);
    expect(entry.error.message).toContain('nothing was written');

    // The next run exports the account to the agreement it is mapped to now (its SKUs with a retail price: the
    // default policy does not bill a SKU without one).
    await waitFor((await start()).id);
    const priced = new Set((await new FolderPlatformSource(stack.dataDir).getRetailPrices(PARTNER)).prices.map((p) => p.sku));
    expect(sim().state.additions(newAgreement).length).toBe(content.subscriptions.filter((l) => priced.has(l.sku)).length);
  });

  it("the log shows the catalog phase's operations and each account's warnings (API and CSV)", async () => {
    // The first export created the catalog items: its log says which.
    const history = (await as(http().get(`/partners/${PARTNER}/runs`)).query({ pageSize: 50 }).expect(200)).body.items as Run[];
    const first = history.filter((r) => r.status === 'succeeded').at(-1)!;
    const firstLog = (await as(http().get(`/partners/${PARTNER}/runs/${first.id}/log`)).expect(200)).body;
    expect(firstLog.catalog).toMatchObject({ status: 'succeeded', warnings: [], error: null });
    const created = (firstLog.catalog.operations as { entity: string; action: string; sku: string; id: number }[]).filter((op) => op.entity === 'catalogItem' && op.action === 'create');
    expect(created.length).toBeGreaterThan(0);
    const inConnectWise = new Set(sim().state.catalogItems().map((item) => item.id));
    expect(created.filter((op) => !inConnectWise.has(op.id))).toEqual([]);

    // An account gone from the platform is skipped, and the log says why.
    const one = (await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 1 }).expect(200)).body.items[0] as { accountId: string };
    const file = join(stack.dataDir, PARTNER, 'accounts.json');
    const accounts = await readFile(file, 'utf8');
    const without = JSON.parse(accounts) as { items: { id: string }[] };
    without.items = without.items.filter((a) => a.id !== one.accountId);
    await writeFile(file, JSON.stringify(without));
    try {
      const run = await waitFor((await start()).id);
      const log = (await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).query({ status: 'skipped' }).expect(200)).body;
      expect(log.items).toEqual([
        expect.objectContaining({ accountId: one.accountId, status: 'skipped', warnings: [{ code: 'account-not-on-platform', message: expect.stringContaining('nothing was written') }] }),
      ]);
      expect(log.catalog).toMatchObject({ status: 'succeeded', operations: [], warnings: [] });
      const csv = (await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log.csv`)).expect(200)).text.split('\n').filter((l) => l.trim());
      expect(csv[0]).toContain('"Warnings"');
      expect(csv[1]).toMatch(/^,"Catalog \(all accounts\)","unchanged"/);
      expect(csv.find((l) => l.includes(one.accountId))).toMatch(/"skipped",,"account-not-on-platform: .*nothing was written\."/);
    } finally {
      await writeFile(file, accounts);
    }
  });

  it('an account suspended on the platform: the next run syncs it, sets its lines to 0 (the default policy) and says so; active again, they come back', async () => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const file = join(stack.dataDir, PARTNER, 'accounts.json');
    const accounts = JSON.parse(await readFile(file, 'utf8')) as { items: { id: string; status: string }[] };
    const mapped = (await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 50 }).expect(200)).body.items as {
      accountId: string;
      agreement: { id: number };
    }[];
    const target = mapped.find((m) => accounts.items.find((a) => a.id === m.accountId)?.status === 'active' && sim().state.additions(m.agreement.id).some((a) => Number(a.quantity) > 0))!;
    accounts.items.find((a) => a.id === target.accountId)!.status = 'suspended';
    await writeFile(file, JSON.stringify(accounts));

    const run = await waitFor((await start()).id);
    expect(run.status).toBe('succeeded');
    const lines = sim().state.additions(target.agreement.id);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((a) => Number(a.quantity) === 0)).toBe(true);
    const log = await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).query({ pageSize: 50 }).expect(200);
    const entry = (log.body.items as { accountId: string; status: string; operations: { action: string }[]; warnings: { code: string; message: string }[] }[]).find(
      (e) => e.accountId === target.accountId,
    )!;
    expect(entry.status).toBe('changed');
    expect(entry.warnings).toEqual([{ code: 'account-suspended', message: expect.stringContaining('policy "zero"') as string }]);
    expect(entry.operations.length).toBe(lines.length);
    expect(entry.operations.every((o) => o.action === 'retire')).toBe(true);

    accounts.items.find((a) => a.id === target.accountId)!.status = 'active';
    await writeFile(file, JSON.stringify(accounts));
    expect((await waitFor((await start()).id)).status).toBe('succeeded');
    expect(sim().state.additions(target.agreement.id).every((a) => Number(a.quantity) > 0)).toBe(true);
  });

  it('credentials rejected during the account jobs stop the run, skip the rest, and ask for attention', async () => {
    sim().failNext({ method: 'GET', path: /\/additions/, status: 401, count: 6, body: { code: 'Unauthorized', message: 'Incorrect public/private key' } });
    const run = await waitFor((await start()).id);
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(/rejected the credentials/i);
    const log = await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).query({ pageSize: 50 }).expect(200);
    expect(log.body.items.filter((e: { status: string }) => e.status === 'failed').length).toBeGreaterThanOrEqual(1);
    const status = await as(http().get(`/partners/${PARTNER}/integration`)).expect(200);
    expect(status.body).toMatchObject({ state: 'needs_attention' });
    expect(status.body.attentionReason).toMatch(/credentials/);
  });

  it('credentials rejected in the catalog phase fail the run with that reason', async () => {
    await as(http().put(`/partners/${PARTNER}/integration/credentials`))
      .send({ site: sim().baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' })
      .expect(200);
    const member = sim().state.members.find((m) => m.publicKey === 'demo-public')!;
    member.privateKey = 'rotated-by-the-partner';
    try {
      const run = await waitFor((await start()).id);
      expect(run).toMatchObject({ status: 'failed', total: 0 });
      expect(run.reason).toMatch(/rejected the credentials/i);
      expect((await as(http().get(`/partners/${PARTNER}/integration`)).expect(200)).body.state).toBe('needs_attention');
    } finally {
      member.privateKey = 'demo-private';
    }
  });

  it('a disabled integration never starts a run', async () => {
    await as(http().post(`/partners/${PARTNER}/integration/disable`)).expect(200);
    const res = await as(http().post(`/partners/${PARTNER}/runs`));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('integration_disabled');
  });
});
