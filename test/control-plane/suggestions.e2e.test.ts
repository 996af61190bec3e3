import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { writeFolder } from '@cwx/platform-testing';
import { demoSeed } from '../../apps/connectwise-sim/src/simulator/demo-seed';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

const PARTNER = 'msp-suggest';

/** ConnectWise companies of this partner besides the demo seed's (invented names; ids from 101). */
const COMPANIES = [
  'Hope Center',
  'Hope Center - Uptown',
  'Hope Center - Lakeside',
  'Harbor Income Fund, Inc.',
  'Harbor Income Fund II, Inc.',
  'Harbor Dental Group',
  'Lakeview Pediatrics Group',
  'North Shore Dental Group',
  'Juniper Physical Therapy Group',
  'Summit Landscaping LLC',
  'Summit Landscaping, Inc.',
];
const companyId = (name: string) => 101 + COMPANIES.indexOf(name);

interface Account {
  accountId: string;
  version: number;
  state: string;
  suggestion: { companyId: number; tier: string; reason: string; learned: string[] } | null;
  ambiguity: { reason: string; candidates: { companyId: number; companyName: string | null }[] } | null;
}

/**
 * Suggestions over HTTP against the simulator: ambiguous siblings shown with their candidates, tiers, a rejected
 * pair that never returns (fill, sync), suggestions after every accounts sync with the alert counting them, and
 * accepted pairs that raise coverage on the next accounts.
 */
describe('suggestions that know when not to guess, and learn from the partner', () => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let dataDir: string;
  let mailDir: string;
  let token: string;
  const http = () => request(cp.app.getHttpServer());
  const as = (req: request.Test) => req.auth(token, { type: 'bearer' });
  const accounts: { id: string; name: string; status: string }[] = [
    { id: 'acc-hope', name: 'Hope Center', status: 'active' },
    { id: 'acc-fund2', name: 'Harbor Income Fund 2, Inc.', status: 'active' },
    { id: 'acc-summit', name: 'Summit Landscaping', status: 'active' },
    { id: 'acc-harbor', name: 'Harbor Dental CSP', status: 'active' },
    { id: 'acc-lake', name: 'Lakeview Pediatrics CSP', status: 'active' },
    { id: 'acc-juniper', name: 'Juniper Physical Therapy CSP', status: 'active' },
  ];
  const writeAccounts = () =>
    writeFolder(dataDir, PARTNER, {
      'partner.json': { id: PARTNER, name: 'Suggest MSP', currency: 'USD' },
      'skus.json': {
        items: [
          { sku: 'M365-BP', name: 'Microsoft 365 Business Premium' },
          { sku: 'MS-E3-NCE', name: 'Microsoft 365 E3' },
          { sku: 'BACKUP-500GB', name: 'Cloud Backup 500 GB' },
        ],
      },
      'retail-prices.json': { items: [] },
      'accounts.json': { items: accounts },
    });
  const list = async (): Promise<Map<string, Account>> => {
    const res = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 100 }).expect(200);
    return new Map((res.body.items as Account[]).map((a) => [a.accountId, a]));
  };
  const mails = async (): Promise<string[]> => {
    const files = await readdir(mailDir).catch(() => [] as string[]);
    const raw = await Promise.all(files.filter((f) => f.endsWith('.eml')).map((f) => readFile(join(mailDir, f), 'utf8')));
    // Quoted-printable bodies: soft line breaks joined, =XX bytes decoded.
    return raw.map((m) => Buffer.from(m.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
  };

  beforeAll(async () => {
    const seed = structuredClone(demoSeed);
    const address = { addressLine1: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: { id: 1 } };
    seed.records['company/companies'] = [
      ...(seed.records['company/companies'] ?? []),
      ...COMPANIES.map((name, i) => ({ id: 101 + i, identifier: `Co${101 + i}`, name, ...address, types: [{ id: 1 }] })),
    ];
    sim = await startSimulator({ seed });
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-suggest-'));
    mailDir = join(dataDir, 'mail');
    await writeAccounts();
    cp = await startTestControlPlane({
      config: {
        connectwise: { clientId: 'suggest-test', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 3000, maxRetries: 1, retryMaxDelayMs: 100 },
        platform: { kind: 'folder', dataDir },
        notifications: {
          mailDir,
          from: 'CWX reports <reports@cwx.test>',
          publicBaseUrl: 'https://cwx.example',
          maxAttempts: 2,
          retryBaseMs: 20,
          timeoutMs: 2000,
          dispatcher: true,
          pollIntervalMs: 20,
        },
      },
    });
    token = await partnerToken(PARTNER);
    await as(http().put(`/partners/${PARTNER}/integration/credentials`))
      .send({ site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' })
      .expect(200);
    const settings = {
      exportMode: 'manual',
      timeZone: 'UTC',
      data: { products: true, quantity: true, cost: false, retailPrice: false, usersList: true },
      disappearedSku: 'zero',
      connectwiseDefaults: { agreementTypeId: 2, billingCycleId: 2 },
    };
    await as(http().put(`/partners/${PARTNER}/integration/settings`)).send(settings).expect(200);
    await as(http().put(`/partners/${PARTNER}/integration/notifications`))
      .send({ emailRecipients: ['ops@suggest.test'], webhookUrl: null, events: ['suggestions.pending'], cadence: 'every_run', silentWhenUnchanged: true })
      .expect(200);
  });

  afterAll(async () => {
    await cp?.close();
    await sim?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the first visit syncs and suggests: siblings ambiguous with candidates, numbers read alike, a tier on each', async () => {
    const rows = await list();
    expect(rows.get('acc-fund2')).toMatchObject({ state: 'suggested', suggestion: { companyId: companyId('Harbor Income Fund II, Inc.'), tier: 'exact', learned: [] } });
    const hope = rows.get('acc-hope')!;
    expect(hope).toMatchObject({ state: 'unmapped', suggestion: null });
    expect(hope.ambiguity!.reason).toBe("3 companies share the name 'Hope Center' and the account's name does not say which");
    expect(hope.ambiguity!.candidates.map((c) => c.companyName).sort()).toEqual(['Hope Center', 'Hope Center - Lakeside', 'Hope Center - Uptown']);
    expect(rows.get('acc-summit')!.ambiguity!.candidates.map((c) => c.companyId).sort()).toEqual([companyId('Summit Landscaping LLC'), companyId('Summit Landscaping, Inc.')]);
    // Before anything was learned, the partner's "… CSP" names are not matched.
    expect(rows.get('acc-juniper')!.suggestion).toBeNull();
  });

  it('a rejected pair never returns: not on the next fill, not after a sync', async () => {
    const fund = (await list()).get('acc-fund2')!;
    const rejected = await as(http().post(`/partners/${PARTNER}/accounts/acc-fund2/suggestion/reject`)).send({ version: fund.version }).expect(200);
    expect(rejected.body.account).toMatchObject({ state: 'unmapped', suggestion: null, ambiguity: null });
    const again = await as(http().post(`/partners/${PARTNER}/accounts/acc-fund2/suggestion/reject`)).send({ version: rejected.body.account.version });
    expect(again.status).toBe(400);

    const fill = await as(http().post(`/partners/${PARTNER}/suggestions`)).expect(200);
    expect(fill.body.examined).toBeGreaterThanOrEqual(6);
    expect((await list()).get('acc-fund2')).toMatchObject({ state: 'unmapped', suggestion: null });

    // Rejecting an ambiguity rejects every candidate shown.
    const summit = (await list()).get('acc-summit')!;
    await as(http().post(`/partners/${PARTNER}/accounts/acc-summit/suggestion/reject`)).send({ version: summit.version }).expect(200);

    accounts.push({ id: 'acc-new-1', name: 'Hope Center \u2013 Uptown', status: 'active' });
    await writeAccounts();
    const sync = await as(http().post(`/partners/${PARTNER}/accounts/sync`)).expect(200);
    expect(sync.body).toMatchObject({ added: 1, suggestions: { skipped: null } });
    expect(sync.body.suggestions.suggested).toBeGreaterThanOrEqual(1);
    const rows = await list();
    expect(rows.get('acc-fund2')!.suggestion).toBeNull();
    expect(rows.get('acc-summit')).toMatchObject({ suggestion: null, ambiguity: null });
    expect(rows.get('acc-new-1')).toMatchObject({ state: 'suggested', suggestion: { companyId: companyId('Hope Center - Uptown'), tier: 'exact' } });
  });

  it('accepted pairs teach the partner\'s naming: the next accounts get suggestions, and the reason says what was learned', async () => {
    const rows = await list();
    for (const [accountId, company] of [
      ['acc-harbor', 'Harbor Dental Group'],
      ['acc-lake', 'Lakeview Pediatrics Group'],
    ] as const) {
      await as(http().put(`/partners/${PARTNER}/accounts/${accountId}/mapping`))
        .send({ version: rows.get(accountId)!.version, companyId: companyId(company), createAgreement: {} })
        .expect(200);
    }
    accounts.push({ id: 'acc-new-2', name: 'North Shore Dental CSP', status: 'active' }, { id: 'acc-new-3', name: 'Harborview Dental CSP', status: 'active' });
    await writeAccounts();
    const sync = await as(http().post(`/partners/${PARTNER}/accounts/sync`)).expect(200);
    expect(sync.body.suggestions).toMatchObject({ skipped: null });
    const after = await list();
    const north = after.get('acc-new-2')!;
    expect(north).toMatchObject({ state: 'suggested', suggestion: { companyId: companyId('North Shore Dental Group'), tier: 'exact' } });
    expect(north.suggestion!.learned).toEqual(["account names add 'csp' (2 accepted pairs)", "account names drop 'group' (2 accepted pairs)"]);
    expect(north.suggestion!.reason).toContain("learned: account names add 'csp' (2 accepted pairs)");
    // The earlier account the partner's naming hid is now suggested too; a look-alike with no company is not.
    expect(after.get('acc-juniper')).toMatchObject({ state: 'suggested', suggestion: { companyId: companyId('Juniper Physical Therapy Group') } });
    expect(after.get('acc-new-3')).toMatchObject({ state: 'unmapped', suggestion: null });
  });

  it('after each sync an alert says how many suggestions wait, and how many accounts are ambiguous', async () => {
    const deadline = Date.now() + 10_000;
    let found: string | undefined;
    while (!found && Date.now() < deadline) {
      found = (await mails()).find((m) => /suggested mapping\(s\) waiting/.test(m) && m.includes('North Shore Dental CSP'));
      if (!found) await new Promise((r) => setTimeout(r, 50));
    }
    expect(found).toBeDefined();
    expect(found).toMatch(/Subject: .*3 suggested mapping\(s\) waiting for your confirmation/);
    expect(found).toContain('North Shore Dental CSP (acc-new-2) → North Shore Dental Group (confidence');
    expect(found).toContain('1 account(s) match several companies of the same name');
  });

  it('suggests an existing catalog item for each platform SKU, read-only, by code then description', async () => {
    const before = sim.countRequests({ method: 'POST' });
    const res = await as(http().get(`/partners/${PARTNER}/catalog/suggestions`)).expect(200);
    expect(res.body.catalogItems).toBeGreaterThanOrEqual(4);
    const bySku = new Map((res.body.items as { sku: string }[]).map((i) => [i.sku, i]));
    expect(bySku.get('M365-BP')).toMatchObject({
      current: null,
      suggestion: { catalogItemId: 1, identifier: 'M365-BP', tier: 'exact', reason: "identifier 'M365-BP' is the SKU 'M365-BP'" },
      ambiguity: null,
    });
    expect(bySku.get('MS-E3-NCE')).toMatchObject({ suggestion: { catalogItemId: 2, identifier: 'M365-E3', description: 'Microsoft 365 E3', tier: 'exact' } });
    expect(bySku.get('BACKUP-500GB')).toMatchObject({ suggestion: null, ambiguity: null });
    expect(sim.countRequests({ method: 'POST' })).toBe(before);
  });
});
