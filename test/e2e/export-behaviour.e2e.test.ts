import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { InProcessMessageBus } from '@cwx/messaging';
import { generatePartner, writePartnerToFolder } from '@cwx/platform';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

const PARTNER = 'behaviour-msp';
const WRITE = /^(POST|PATCH|PUT|DELETE)$/;

interface Run {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  reason: string | null;
}

/** How runs behave when something is off: nothing to do, a refused write, rejected keys; and the preview. */
describe('export runs (local mode)', () => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let dataDir: string;
  let token: string;
  const http = () => request(cp.app.getHttpServer());
  const as = (req: request.Test) => req.auth(token, { type: 'bearer' });

  async function waitFor(runId: string): Promise<Run> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (await as(http().get(`/partners/${PARTNER}/runs/${runId}`)).expect(200)).body as Run;
      if (!['queued', 'running'].includes(run.status)) return run;
      if (Date.now() > deadline) throw new Error(`run did not finish: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const start = async () => (await as(http().post(`/partners/${PARTNER}/runs`)).expect(201)).body as Run;

  beforeAll(async () => {
    sim = await startSimulator();
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-behaviour-'));
    await writePartnerToFolder(generatePartner({ partnerId: PARTNER, seed: 3, accounts: 6, skusPerAccount: { min: 2, max: 4 }, usersPerAccount: 2 }), dataDir);
    cp = await startTestControlPlane({
      bus: new InProcessMessageBus({ deliveryLimit: 2, retryDelayMs: 10 }),
      embeddedWorker: true,
      config: {
        connectwise: { clientId: 'behaviour', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 3000, maxRetries: 1, retryMaxDelayMs: 50 },
        platform: { kind: 'folder', dataDir },
      },
    });
    token = await partnerToken(PARTNER);
    await as(http().put(`/partners/${PARTNER}/integration/credentials`))
      .send({ site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' })
      .expect(200);
    await as(http().put(`/partners/${PARTNER}/integration/settings`))
      .send({
        exportMode: 'manual',
        timeZone: 'UTC',
        data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
        disappearedSku: 'zero',
        connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, agreementTypeId: 2, billingCycleId: 2 },
      })
      .expect(200);
    await as(http().get(`/partners/${PARTNER}/accounts`)).expect(200);
  });

  afterAll(async () => {
    await cp.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says so when there is nothing to export, and never reports success', async () => {
    const run = await waitFor((await start()).id);
    expect(run).toMatchObject({ status: 'nothing_to_export', total: 0 });
    expect(run.reason).toContain('No account is mapped');
  });

  it('maps the accounts, then previews the plan without writing anything', async () => {
    const list = await as(http().get(`/partners/${PARTNER}/accounts`)).expect(200);
    for (const a of list.body.items as { accountId: string; accountName: string; version: number }[]) {
      await as(http().put(`/partners/${PARTNER}/accounts/${a.accountId}/mapping`))
        .send({ version: a.version, createCompany: { name: a.accountName.slice(0, 50), identifier: `Beh${a.accountId.replace(/\W/g, '')}`, city: 'Paris' }, createAgreement: {} })
        .expect(200);
    }
    sim.resetRequests();
    const preview = await as(http().get(`/partners/${PARTNER}/preview`)).expect(200);
    expect(preview.body.applied).toBe(false);
    expect(preview.body.total).toBe(6);
    expect(preview.body.catalog.length).toBeGreaterThan(0);
    expect(preview.body.catalog.every((op: { action: string }) => op.action === 'create')).toBe(true);
    expect(sim.requests().filter((r) => WRITE.test(r.method))).toEqual([]);
  });

  it('refuses a second start while a run is active, with a clear message', async () => {
    sim.setFaults({ latencyMs: 40 });
    const first = await start();
    const second = await as(http().post(`/partners/${PARTNER}/runs`));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'run_already_active', activeRunId: first.id });
    expect(second.body.message).toContain('already running');
    const run = await waitFor(first.id);
    sim.setFaults({ latencyMs: 0 });
    expect(run).toMatchObject({ status: 'succeeded', done: 6, failed: 0 });
  });

  it('a ConnectWise error on one account fails that account, not the run', async () => {
    const one = (await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 1 }).expect(200)).body.items[0];
    const file = join(dataDir, PARTNER, 'accounts', `${one.accountId}.json`);
    const { readFile, writeFile } = await import('node:fs/promises');
    const content = JSON.parse(await readFile(file, 'utf8')) as { subscriptions: { quantity: number }[] };
    content.subscriptions[0].quantity += 5;
    await writeFile(file, JSON.stringify(content));
    sim.failNext({ method: 'PATCH', path: new RegExp(`/agreements/${one.agreement.id}/additions/`), status: 400, body: { code: 'InvalidObject', message: 'addition object is invalid', errors: [{ code: 'InvalidField', message: 'Quantity is locked', resource: 'addition', field: 'quantity' }] } });
    const run = await waitFor((await start()).id);
    expect(run).toMatchObject({ status: 'partially_failed', done: 6, failed: 1 });
    const log = await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).query({ status: 'failed' }).expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ accountId: one.accountId, error: { code: 'InvalidObject' } });
    const csv = await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log.csv`)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.split('\n').filter((l) => l.trim()).length).toBe(7);
  });

  it('credentials rejected during the account jobs stop the run, skip the rest, and ask for attention', async () => {
    sim.failNext({ method: 'GET', path: /\/additions/, status: 401, count: 6, body: { code: 'Unauthorized', message: 'Incorrect public/private key' } });
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
      .send({ site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' })
      .expect(200);
    const member = sim.state.members.find((m) => m.publicKey === 'demo-public')!;
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
