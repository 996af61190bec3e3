import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { DatabaseHandle } from '@cwx/persistence';
import { writeFolder } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { DATABASE_HANDLE } from '../../apps/control-plane/src/database/database.module';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

/**
 * The panel's three-step wizard and management page, over HTTP, against the ConnectWise simulator.
 * The simulator and the control plane are shared; each case has a partner of its own and sets up the
 * wizard steps before the one it checks, so any case runs alone (`-t`) or in any order.
 */
describe('the integration wizard end to end', () => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let dataDir: string;
  // The partner of the running case (set by `newPartner`) and its token.
  let PARTNER = '';
  let token = '';
  const http = () => request(cp.app.getHttpServer());
  const as = (req: request.Test) => req.auth(token, { type: 'bearer' });
  const good = () => ({ site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' });
  const settings = {
    exportMode: 'daily',
    dailyTime: '02:30',
    timeZone: 'Europe/Amsterdam',
    data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
    disappearedSku: 'zero',
    connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, unitOfMeasureId: 2, agreementTypeId: 2, billingCycleId: 2 },
  };
  let partners = 0;

  /** A new partner on the platform (three accounts, nothing set up yet); the case acts as it. */
  async function newPartner(): Promise<void> {
    partners += 1;
    PARTNER = `msp-wizard-${partners}`;
    await writeFolder(dataDir, PARTNER, {
      'partner.json': { id: PARTNER, name: 'Wizard MSP', currency: 'USD' },
      'skus.json': { items: [{ sku: 'M365-BP', name: 'Microsoft 365 Business Premium' }] },
      'retail-prices.json': { items: [{ sku: 'M365-BP', price: 26 }] },
      'accounts.json': {
        items: [
          { id: 'acc-acme', name: 'ACME Corp.', status: 'active' },
          { id: 'acc-globex', name: 'Globex, Inc.', status: 'active' },
          { id: 'acc-bakery', name: 'Brand New Bakery BV', status: 'active' },
        ],
      },
    });
    token = await partnerToken(PARTNER);
  }

  /** Step 1 done: good credentials stored. */
  async function withCredentials(): Promise<void> {
    await newPartner();
    await as(http().put(`/partners/${PARTNER}/integration/credentials`)).send(good()).expect(200);
  }

  /** Steps 1 and 2 done: settings saved `saves` times (the version is then `saves`). */
  async function withSettings(saves = 1): Promise<void> {
    await withCredentials();
    for (let version = 0; version < saves; version += 1) {
      await as(http().put(`/partners/${PARTNER}/integration/settings`)).send({ ...settings, ...(version > 0 ? { version } : {}) }).expect(200);
    }
  }

  /** Steps 1 and 2 done, and step 3 opened: the platform's accounts listed (which syncs them). */
  async function withAccountsListed(): Promise<void> {
    await withSettings();
    await as(http().get(`/partners/${PARTNER}/accounts`)).expect(200);
  }

  /** Steps 1 and 2 done, suggestions made, and ACME mapped by accepting its suggestion (company 2, agreement 1). */
  async function withAcmeMapped(): Promise<void> {
    await withAccountsListed();
    await as(http().post(`/partners/${PARTNER}/suggestions`)).expect(200);
    const acme = await account('acc-acme');
    await as(http().post(`/partners/${PARTNER}/accounts/acc-acme/suggestion/accept`)).send({ version: acme.version, agreementId: 1 }).expect(200);
  }

  const account = async (id: string) => {
    const res = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 100 }).expect(200);
    return (res.body.items as { accountId: string; version: number; state: string; suggestion: unknown }[]).find((a) => a.accountId === id)!;
  };

  beforeAll(async () => {
    sim = await startSimulator();
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-wizard-'));
    cp = await startTestControlPlane({
      config: {
        connectwise: { clientId: 'wizard-test', extraAllowedOrigins: [sim.baseUrl, 'http://127.0.0.1:1'], requestTimeoutMs: 3000, maxRetries: 1, retryMaxDelayMs: 100 },
        platform: { kind: 'folder', dataDir },
      },
    });
  });

  afterAll(async () => {
    await cp.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('step 1: credentials', () => {
    it.each([
      ['a site that is not ConnectWise', { site: 'evil.example.com' }, 422, 'site_not_allowed'],
      ['a site nobody answers on', { site: 'http://127.0.0.1:1' }, 502, 'site_unreachable'],
      ['an unknown company id', { companyId: 'nosuchco' }, 422, 'unknown_company'],
      ['wrong keys', { privateKey: 'wrong-private' }, 422, 'wrong_keys'],
      ['a member without the needed permissions', { publicKey: 'limited-public', privateKey: 'limited-private' }, 422, 'missing_permissions'],
    ])('refuses %s and names the problem', async (_what, change, status, problem) => {
      await newPartner();
      const body = { ...good(), ...change };
      const res = await as(http().put(`/partners/${PARTNER}/integration/credentials`)).send(body);
      expect(res.status).toBe(status);
      expect(res.body.problem).toBe(problem);
      if (problem === 'missing_permissions') {
        expect(res.body.missingPermissions.length).toBeGreaterThan(0);
        expect(JSON.stringify(res.body.missingPermissions)).toContain('Agreements');
      }
      expect(JSON.stringify(res.body)).not.toContain(body.privateKey);
      await as(http().get(`/partners/${PARTNER}/integration/credentials`)).expect(404);
    });

    it('stores good credentials encrypted and shows the private key masked', async () => {
      await newPartner();
      const res = await as(http().put(`/partners/${PARTNER}/integration/credentials`)).send(good());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ companyId: 'demo', publicKey: 'demo-public', privateKey: '••••••••' });
      const read = await as(http().get(`/partners/${PARTNER}/integration/credentials`)).expect(200);
      expect(JSON.stringify(read.body)).not.toContain('demo-private');

      const handle = cp.app.get<DatabaseHandle>(DATABASE_HANDLE);
      const rows = await handle.db.execute(sql`select * from connectwise_credentials where partner_id = ${PARTNER}`);
      const raw = JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
      expect(raw).toContain('demo-public');
      expect(raw).not.toContain('demo-private');
      expect(raw).not.toContain(Buffer.from('demo-private').toString('base64'));

      const status = await as(http().get(`/partners/${PARTNER}/integration`)).expect(200);
      expect(status.body).toMatchObject({ state: 'active', credentialsStored: true });
    });

    it('refuses malformed bodies with the field and the reason', async () => {
      await newPartner();
      const res = await as(http().put(`/partners/${PARTNER}/integration/credentials`)).send({ ...good(), companyId: 'has space', extra: 1 });
      expect(res.status).toBe(400);
      const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
      expect(fields).toEqual(['companyId', 'extra']);
    });
  });

  describe('step 2: settings', () => {
    it('offers the ConnectWise lists, read live', async () => {
      await withCredentials();
      const res = await as(http().get(`/partners/${PARTNER}/integration/connectwise-options`)).expect(200);
      expect(res.body.agreementTypes.map((t: { name: string }) => t.name)).toContain('Cloud Services');
      expect(res.body.billingCycles.map((t: { name: string }) => t.name)).toContain('Monthly');
      expect(res.body.catalogSubcategories.length).toBeGreaterThan(0);
    });

    it('saves settings, shows the next export in local time and UTC, and refuses a stale version', async () => {
      await withCredentials();
      const first = await as(http().put(`/partners/${PARTNER}/integration/settings`)).send(settings);
      expect(first.status).toBe(200);
      expect(first.body.version).toBe(1);
      const second = await as(http().put(`/partners/${PARTNER}/integration/settings`)).send({ ...settings, version: 1, disappearedSku: 'cancel' });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ version: 2, disappearedSku: 'cancel' });
      // The billing policies a request leaves out keep their safe defaults.
      expect(first.body).toMatchObject({ missingRetailPrice: 'fail-line', suspendedAccounts: 'zero', cancelledAccounts: 'zero' });
      const stale = await as(http().put(`/partners/${PARTNER}/integration/settings`)).send({ ...settings, version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('version_mismatch');
      const status = await as(http().get(`/partners/${PARTNER}/integration`)).expect(200);
      expect(status.body.nextScheduledExport.timeZone).toBe('Europe/Amsterdam');
      expect(status.body.nextScheduledExport.local).toMatch(/T02:30:00\.000\+0[12]:00$/);
    });

    it('stores the billing policies for a missing retail price and suspended or cancelled accounts; a request without them keeps them', async () => {
      await withSettings(2);
      const chosen = { missingRetailPrice: 'skip-price', suspendedAccounts: 'bill', cancelledAccounts: 'cancel' };
      const saved = await as(http().put(`/partners/${PARTNER}/integration/settings`)).send({ ...settings, version: 2, ...chosen }).expect(200);
      expect(saved.body).toMatchObject({ version: 3, ...chosen });
      const older = await as(http().put(`/partners/${PARTNER}/integration/settings`)).send({ ...settings, version: 3 }).expect(200);
      expect(older.body).toMatchObject({ version: 4, ...chosen });
      expect((await as(http().get(`/partners/${PARTNER}/integration/settings`)).expect(200)).body).toMatchObject(chosen);
    });

    it.each([
      ['an id ConnectWise does not have', { connectwiseDefaults: { agreementTypeId: 999 } }, 'connectwiseDefaults.agreementTypeId'],
      ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
      ['a daily export without a time', { dailyTime: undefined }, 'dailyTime'],
      ['an unknown field', { surprise: true }, 'surprise'],
      ['an unknown missing-price policy', { missingRetailPrice: 'zero-price' }, 'missingRetailPrice'],
      ['an unknown account-status policy', { suspendedAccounts: 'delete' }, 'suspendedAccounts'],
      ['a policy of the wrong type', { cancelledAccounts: 1 }, 'cancelledAccounts'],
    ])('refuses %s', async (_what, change, field) => {
      await withSettings(4);
      const res = await as(http().put(`/partners/${PARTNER}/integration/settings`)).send({ ...settings, version: 4, ...change });
      expect(res.status).toBe(400);
      expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
      const after = await as(http().get(`/partners/${PARTNER}/integration/settings`)).expect(200);
      expect(after.body.version).toBe(4);
    });
  });

  describe('step 3: mapping', () => {
    it('lists the platform accounts, unmapped, searchable and paged', async () => {
      await withSettings();
      const res = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 2 }).expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items).toHaveLength(2);
      const search = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ q: 'globex' }).expect(200);
      expect(search.body.items.map((a: { accountId: string }) => a.accountId)).toEqual(['acc-globex']);
      await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 0 }).expect(400);
    });

    it('suggests companies for matching names only, and flags them', async () => {
      await withAccountsListed();
      const res = await as(http().post(`/partners/${PARTNER}/suggestions`)).expect(200);
      expect(res.body.examined).toBe(3);
      const acme = await account('acc-acme');
      expect(acme.state).toBe('suggested');
      expect(acme.suggestion).toMatchObject({ companyId: 2, companyName: 'Acme Corporation' });
      expect((await account('acc-bakery')).state).toBe('unmapped');
      const suggested = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ state: 'suggested' }).expect(200);
      expect(suggested.body.items.map((a: { accountId: string }) => a.accountId)).toContain('acc-acme');
    });

    it('accepting a suggestion maps the account to that company and an existing agreement', async () => {
      await withAccountsListed();
      await as(http().post(`/partners/${PARTNER}/suggestions`)).expect(200);
      const acme = await account('acc-acme');
      const res = await as(http().post(`/partners/${PARTNER}/accounts/acc-acme/suggestion/accept`)).send({ version: acme.version, agreementId: 1 });
      expect(res.status).toBe(200);
      expect(res.body.account).toMatchObject({ state: 'mapped', company: { id: 2 }, agreement: { id: 1 }, exportEnabled: true });
    });

    it('refuses an agreement of another company', async () => {
      await withSettings();
      const globex = await account('acc-globex');
      const res = await as(http().put(`/partners/${PARTNER}/accounts/acc-globex/mapping`)).send({ version: globex.version, companyId: 3, agreementId: 4 });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('belongs to company 5');
    });

    it('creates a company and an agreement in ConnectWise and maps to them', async () => {
      await withSettings();
      const bakery = await account('acc-bakery');
      const companiesBefore = sim.state.companies().length;
      const res = await as(http().put(`/partners/${PARTNER}/accounts/acc-bakery/mapping`)).send({
        version: bakery.version,
        createCompany: { name: 'Brand New Bakery BV', city: 'Utrecht' },
        createAgreement: {},
      });
      expect(res.status).toBe(200);
      expect(sim.state.companies()).toHaveLength(companiesBefore + 1);
      const created = sim.state.agreements().find((a) => a.id === res.body.createdAgreement.id)!;
      expect(created).toMatchObject({ name: 'Brand New Bakery BV - Cloud services', type: { id: 2 }, billingCycle: { id: 2 } });
      expect(created.company).toMatchObject({ id: res.body.createdCompany.id });
      expect(res.body.account).toMatchObject({ state: 'mapped', company: { id: res.body.createdCompany.id } });
    });

    it('warns on remapping that nothing exported is removed, and refuses a concurrent stale edit', async () => {
      await withAcmeMapped();
      const acme = await account('acc-acme');
      const remap = await as(http().put(`/partners/${PARTNER}/accounts/acc-acme/mapping`)).send({ version: acme.version, companyId: 2, createAgreement: { name: 'Acme cloud' } });
      expect(remap.status).toBe(200);
      expect(remap.body.warning).toContain('Nothing already exported was removed');
      const stale = await as(http().patch(`/partners/${PARTNER}/accounts/acc-acme/export`)).send({ version: acme.version, exportEnabled: false });
      expect(stale.status).toBe(409);
    });

    it('refuses a second account on an agreement already mapped', async () => {
      await withAcmeMapped();
      const globex = await account('acc-globex');
      const acme = (await as(http().get(`/partners/${PARTNER}/accounts`)).query({ q: 'ACME' }).expect(200)).body.items[0];
      const res = await as(http().put(`/partners/${PARTNER}/accounts/acc-globex/mapping`)).send({ version: globex.version, companyId: 2, agreementId: acme.agreement.id });
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('already mapped to account "ACME Corp."');
    });

    it('keeps partners apart', async () => {
      await withCredentials();
      const other = await partnerToken('someone-else');
      await request(cp.app.getHttpServer()).get(`/partners/${PARTNER}/accounts`).auth(other, { type: 'bearer' }).expect(404);
    });
  });

  describe('management', () => {
    it('disable erases the keys, keeps the mapping, and touches nothing in ConnectWise', async () => {
      await withAcmeMapped();
      const globex = await account('acc-globex');
      await as(http().put(`/partners/${PARTNER}/accounts/acc-globex/mapping`)).send({ version: globex.version, companyId: 5, agreementId: 4 }).expect(200);
      sim.resetRequests();
      const res = await as(http().post(`/partners/${PARTNER}/integration/disable`)).expect(200);
      expect(res.body.notice).toContain('Nothing was deleted in ConnectWise');
      expect(sim.countRequests()).toBe(0);
      await as(http().get(`/partners/${PARTNER}/integration/credentials`)).expect(404);
      const mapped = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ state: 'mapped' }).expect(200);
      expect(mapped.body.total).toBe(2);
    });
  });
});
