/**
 * The preview is the export in dry-run mode (issue 14 point 2: the worker, local mode and the preview call the same
 * use-cases): with billing control (a price rule, an exclusion, an included quantity) and a review policy that holds
 * decreases, the preview shows per account exactly what the next run then does and logs, and writes nothing itself.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { InProcessMessageBus } from '@cwx/messaging';
import { type GeneratedPartner, generatePartner, writePartnerToFolder } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { connectPartnerToSimulator, partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

const PARTNER = 'preview-msp';
const WRITE = /^(POST|PATCH|PUT|DELETE)$/;

interface Operation {
  entity: string;
  action: string;
  id?: number | null;
  sku?: string;
  changes: unknown[];
  priceRule?: string;
}
interface AccountPlan {
  accountId: string;
  status: string;
  operations: Operation[];
  warnings: { code: string; sku?: string }[];
}

describe('the preview is the run in dry-run mode (local mode)', () => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let dataDir: string;
  let token: string;
  let partner: GeneratedPartner;
  const http = () => request(cp.app.getHttpServer());
  const as = (req: request.Test) => req.auth(token, { type: 'bearer' });

  async function exportNow(): Promise<{ id: string; status: string; failed: number }> {
    const started = (await as(http().post(`/partners/${PARTNER}/runs`)).expect(201)).body as { id: string };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = (await as(http().get(`/partners/${PARTNER}/runs/${started.id}`)).expect(200)).body as { id: string; status: string; failed: number };
      if (!['queued', 'running'].includes(run.status)) return run;
      if (Date.now() > deadline) throw new Error(`run did not finish: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function editSubscriptions(accountId: string, edit: (subs: { sku: string; quantity: number }[]) => void): Promise<void> {
    const file = join(dataDir, PARTNER, 'accounts', `${accountId}.json`);
    const content = JSON.parse(await readFile(file, 'utf8')) as { subscriptions: { sku: string; quantity: number }[] };
    edit(content.subscriptions);
    await writeFile(file, JSON.stringify(content));
  }

  /** What an account's plan says, without the ids ConnectWise gives what is created. */
  const comparable = (a: AccountPlan) => ({
    accountId: a.accountId,
    status: a.status,
    operations: a.operations.map(({ id: _id, ...op }) => op),
    warnings: a.warnings.map((w) => `${w.code}:${w.sku ?? ''}`).sort(),
  });

  beforeAll(async () => {
    sim = await startSimulator();
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-preview-'));
    partner = generatePartner({ partnerId: PARTNER, seed: 14, accounts: 4, skusPerAccount: { min: 3, max: 4 }, usersPerAccount: 2 });
    for (const a of partner.accounts) a.account.status = 'active';
    await writePartnerToFolder(partner, dataDir);
    cp = await startTestControlPlane({
      bus: new InProcessMessageBus({ deliveryLimit: 2, retryDelayMs: 10 }),
      embeddedWorker: true,
      config: {
        connectwise: { clientId: 'preview', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 3000, maxRetries: 1, retryMaxDelayMs: 50 },
        platform: { kind: 'folder', dataDir },
      },
    });
    token = await partnerToken(PARTNER);
    await connectPartnerToSimulator(cp.app, PARTNER, token, sim.baseUrl, {
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
      connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, agreementTypeId: 2, billingCycleId: 2 },
    });
    const list = await as(http().get(`/partners/${PARTNER}/accounts`)).expect(200);
    for (const a of list.body.items as { accountId: string; accountName: string; version: number }[]) {
      await as(http().put(`/partners/${PARTNER}/accounts/${a.accountId}/mapping`))
        .send({ version: a.version, createCompany: { name: a.accountName.slice(0, 50), identifier: `Pre${a.accountId.replace(/\W/g, '')}`, city: 'Lyon' }, createAgreement: {} })
        .expect(200);
    }
    expect(await exportNow()).toMatchObject({ status: 'succeeded', failed: 0 });
  }, 120_000);

  afterAll(async () => {
    await cp?.close();
    await sim?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('with a price rule, an exclusion, an included quantity and decreases held for review, shows what the run then does', async () => {
    const [a, b, c] = partner.accounts.map((x) => x.account.id).sort();
    const skusOf = (accountId: string) => [...new Set(partner.accounts.find((x) => x.account.id === accountId)!.subscriptions.map((s) => s.sku))];
    const [ruled] = skusOf(a);
    await as(http().put(`/partners/${PARTNER}/billing/products`))
      .send({ products: [{ sku: ruled, action: 'create', price: { kind: 'markup', percent: 25 } }], bundles: [] })
      .expect(200);
    const [excluded, included] = skusOf(b);
    await as(http().put(`/partners/${PARTNER}/accounts/${b}/billing`))
      .send({ prices: [], exclusions: [{ sku: excluded, reason: 'in the support contract' }], included: [{ sku: included, quantity: 1 }] })
      .expect(200);
    await as(http().put(`/partners/${PARTNER}/review/policy`)).send({ preset: 'recommended' }).expect(200);
    await editSubscriptions(c, (subs) => {
      subs[0].quantity += 2; // an increase: applied
      subs[1].quantity = Math.max(0, subs[1].quantity - 1); // a decrease: waits for review
    });

    sim.resetRequests();
    const preview = (await as(http().get(`/partners/${PARTNER}/preview`)).query({ pageSize: 100 }).expect(200)).body as { accounts: AccountPlan[]; applied: boolean };
    expect(preview.applied).toBe(false);
    expect(sim.requests().filter((r) => WRITE.test(r.method))).toEqual([]);

    const run = await exportNow();
    expect(run).toMatchObject({ status: 'succeeded', failed: 0 });
    const log = (await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).query({ pageSize: 100 }).expect(200)).body as { items: AccountPlan[] };

    const byAccount = (plans: AccountPlan[]) => plans.map(comparable).sort((x, y) => x.accountId.localeCompare(y.accountId));
    expect(byAccount(preview.accounts)).toEqual(byAccount(log.items));
    // The comparison covers each input: the rule priced a write, the exclusion and the review hold were reported.
    const planned = preview.accounts.flatMap((p) => p.operations);
    expect(planned.some((op) => op.sku === ruled && op.priceRule?.startsWith('cost + 25%'))).toBe(true);
    expect(preview.accounts.find((p) => p.accountId === c)!.warnings.map((w) => w.code)).toContain('changes-waiting');
    expect(preview.accounts.find((p) => p.accountId === b)!.operations.length).toBeGreaterThan(0);
  }, 120_000);
});
