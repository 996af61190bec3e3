import type request from 'supertest';
import { generatePartner } from '@cwx/platform-testing';
import { startLocalExportStack, type LocalExportStack } from '../support/control-plane';

const PARTNER = 'review-msp';
const WRITE = /^(POST|PATCH|PUT|DELETE)$/;

interface Change {
  id: number;
  accountId: string;
  sku: string;
  classes: string[];
  monthlyAmount: number | null;
  before: { quantity: number | null } | null;
  after: { quantity: number | null };
  status: string;
}

/** The review queue over HTTP (local mode, embedded worker): policy, queue, decisions one by one and in bulk, the run of approved changes, the audit trail. */
describe('review queue (local mode)', () => {
  let stack: LocalExportStack;
  const http = () => stack.http();
  const as = (req: request.Test) => stack.as(req);
  const sim = () => stack.sim;
  const waitFor = (runId: string) => stack.waitForRun(runId);
  const exportNow = () => stack.exportNow();
  const editSubscriptions = (edit: (subs: { sku: string; quantity: number }[]) => void) => stack.editSubscriptions(edit);

  const queue = async (query: Record<string, string> = {}) =>
    (await as(http().get(`/partners/${PARTNER}/review/changes`)).query(query).expect(200)).body as { items: Change[]; totals: { count: number; monthlyAdded: number; monthlyRemoved: number } };

  beforeAll(async () => {
    stack = await startLocalExportStack({
      partnerId: PARTNER,
      partner: { seed: 19, accounts: 3, skusPerAccount: { min: 2, max: 3 }, usersPerAccount: 1 },
      connectwise: { clientId: 'review' },
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: false },
    });
    await stack.mapEveryAccount({ identifierPrefix: 'Rev', city: 'Oslo' });
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('without a saved policy nothing waits (as before review existed); the recommended policy is offered', async () => {
    const policy = (await as(http().get(`/partners/${PARTNER}/review/policy`)).expect(200)).body;
    expect(policy).toMatchObject({ configured: false, version: 0, policy: { rules: { decrease: 'apply' } }, recommended: { rules: { decrease: 'review', increase: 'apply' }, priceThresholdPercent: 5 } });
    expect(await exportNow()).toMatchObject({ status: 'succeeded', failed: 0 });
    expect((await queue()).totals.count).toBe(0);
  });

  it('saves a policy with a version (a stale one is refused) and refuses a bad one', async () => {
    const saved = (await as(http().put(`/partners/${PARTNER}/review/policy`)).send({ preset: 'everything-waits' }).expect(200)).body;
    expect(saved).toMatchObject({ configured: true, version: 1, policy: { rules: { 'new-line': 'review', decrease: 'review' }, editedLines: 'keep' } });
    await as(http().put(`/partners/${PARTNER}/review/policy`)).send({ preset: 'recommended' }).expect(409);
    const bad = await as(http().put(`/partners/${PARTNER}/review/policy`)).send({ version: 1, policy: { ...saved.policy, priceThresholdPercent: -3 } });
    expect(bad.status).toBe(400);
  });

  it('holds every change, lists them with filters and totals, and writes nothing to ConnectWise', async () => {
    await editSubscriptions((subs) => {
      subs[0].quantity += 2;
      if (subs[1]) subs[1].quantity = Math.max(0, subs[1].quantity - 1);
    });
    sim().resetRequests();
    expect(await exportNow()).toMatchObject({ status: 'succeeded' });
    expect(sim().requests().filter((r) => WRITE.test(r.method) && /additions/.test(r.path))).toEqual([]);
    const all = await queue();
    expect(all.totals.count).toBeGreaterThanOrEqual(3);
    expect(all.items.every((c) => c.status === 'pending')).toBe(true);
    expect(all.totals.monthlyAdded).toBeGreaterThan(0);
    const increases = await queue({ class: 'increase' });
    expect(increases.items.length).toBeGreaterThan(0);
    expect(increases.items.every((c) => c.classes.includes('increase'))).toBe(true);
    const one = await queue({ accountId: all.items[0].accountId });
    expect(one.items.every((c) => c.accountId === all.items[0].accountId)).toBe(true);
    await as(http().get(`/partners/${PARTNER}/review/changes`)).query({ class: 'bogus' }).expect(400);
  });

  it('approve one, adjust one, dismiss one, approve the rest in bulk; the run of approved changes writes just those', async () => {
    const { items } = await queue();
    const [first, second, third, ...rest] = items;
    const decide = (body: object) => as(http().post(`/partners/${PARTNER}/review/changes/decisions`)).send(body);
    // A browser holding the current page gets 304; once a decision changes the queue, the new page.
    const held = (await as(http().get(`/partners/${PARTNER}/review/changes`)).expect(200)).headers.etag;
    expect(held).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    await as(http().get(`/partners/${PARTNER}/review/changes`)).set('If-None-Match', held).expect(304);
    expect((await decide({ action: 'approve', ids: [first.id] }).expect(200)).body).toEqual({ decided: 1, skipped: [] });
    const changed = await as(http().get(`/partners/${PARTNER}/review/changes`)).set('If-None-Match', held).expect(200);
    expect(changed.headers.etag).not.toBe(held);
    expect((changed.body as { items: Change[] }).items.map((c) => c.id)).not.toContain(first.id);
    await decide({ action: 'adjust', ids: [second.id] }).expect(400); // adjust needs a quantity or a date
    await decide({ action: 'adjust', ids: [second.id], quantity: 7 }).expect(200);
    await decide({ action: 'dismiss', ids: [third.id] }).expect(200);
    const bulk = (await decide({ action: 'approve', ids: [...rest.map((c) => c.id), first.id] }).expect(200)).body;
    expect(bulk).toEqual({ decided: rest.length, skipped: [first.id] });
    expect((await queue()).totals.count).toBe(0);

    sim().resetRequests();
    const applied = (await as(http().post(`/partners/${PARTNER}/review/apply`)).expect(202)).body as { id: string; trigger: string };
    expect(applied.trigger).toBe('review');
    expect(await waitFor(applied.id)).toMatchObject({ status: 'succeeded', failed: 0 });
    const writes = sim().requests().filter((r) => WRITE.test(r.method));
    expect(writes.length).toBe(items.length - 1); // every approved change, one write each; not the dismissed one; no catalog writes
    expect((await queue({ status: 'applied' })).items.map((c) => c.id).sort()).toEqual([first.id, second.id, ...rest.map((c) => c.id)].sort());
    expect((await queue({ status: 'dismissed' })).items.map((c) => c.id)).toEqual([third.id]);
    const adjusted = sim().state.additions().find((a) => a.id === (second as Change & { additionId: number }).additionId);
    if (second.before) expect(adjusted).toMatchObject({ quantity: 7 });

    await as(http().post(`/partners/${PARTNER}/review/apply`)).expect(409); // nothing approved is left
    sim().resetRequests();
    expect(await exportNow()).toMatchObject({ status: 'succeeded' });
    expect(sim().requests().filter((r) => WRITE.test(r.method) && /additions/.test(r.path))).toEqual([]); // the dismissed one stays out
    expect((await queue()).totals.count).toBe(0);
  });

  it('exports the audit trail as CSV: who, when, what', async () => {
    const csv = await as(http().get(`/partners/${PARTNER}/review/decisions.csv`)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.split('\n').filter((l) => l.trim());
    expect(lines[0]).toContain('"When","Who","Decision"');
    expect(csv.text).toContain(`"panel-user-of-${PARTNER}","dismiss"`);
    expect(csv.text).toContain('"adjust"');
    expect(csv.text).toContain('quantity 7');
    expect(csv.text).toMatch(/"run:[0-9a-f-]+","apply"/);
  });

  it('reconciliation: per account and line, platform against ConnectWise, the differing accounts first, without an export; also as CSV', async () => {
    sim().resetRequests();
    const view = (await as(http().get(`/partners/${PARTNER}/review/reconciliation`)).expect(200)).body as {
      accounts: { accountId: string; differing: number; lines: { sku: string; platform: { quantity: number } | null; connectwise: { quantity: number } | null; quantityDifference: number; differs: boolean }[] }[];
      total: number;
      differingAccounts: number;
    };
    expect(sim().requests().filter((r) => WRITE.test(r.method))).toEqual([]);
    expect(sim().requests().filter((r) => /additions/.test(r.path)).length).toBe(3); // one read per account
    expect(view.total).toBe(3);
    // The dismissed change (and the adjusted one) leave ConnectWise away from the platform: those accounts come first.
    expect(view.differingAccounts).toBeGreaterThanOrEqual(1);
    const firstInStep = view.accounts.findIndex((a) => a.differing === 0);
    const lastDiffering = view.accounts.map((a) => a.differing > 0).lastIndexOf(true);
    if (firstInStep >= 0) expect(lastDiffering).toBeLessThan(firstInStep);
    for (const account of view.accounts) {
      for (const line of account.lines) {
        expect(line.quantityDifference).toBe((line.connectwise?.quantity ?? 0) - (line.platform?.quantity ?? 0));
        if (line.quantityDifference !== 0) expect(line.differs).toBe(true);
      }
    }
    const csv = await as(http().get(`/partners/${PARTNER}/review/reconciliation.csv`)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.text.split('\n').filter((l) => l.trim());
    expect(rows[0]).toContain('"Platform quantity","Platform price","ConnectWise quantity"');
    expect(rows.length).toBe(1 + view.accounts.reduce((n, a) => n + a.lines.length, 0));
  });
});

interface ReconciledView {
  accounts: {
    accountId: string;
    differing: number;
    lines: { sku: string; additionId: number | null; platform: { quantity: number; price: number | null } | null; connectwise: { quantity: number; price: number | null } | null; differs: boolean }[];
  }[];
  differingAccounts: number;
}

/**
 * The reconciliation view under billing control (issue 18): its platform side is what the next run writes (the same
 * plan: product mapping and bundles, price rules, exclusions, included quantities), and after that run nothing differs.
 */
describe('reconciliation under billing control (local mode)', () => {
  const RECON = 'recon-msp';
  const partnerOptions = { seed: 20, accounts: 3, skusPerAccount: { min: 3, max: 4 }, usersPerAccount: 2 };
  let stack: LocalExportStack;
  const http = () => stack.http();
  const as = (req: request.Test) => stack.as(req);

  beforeAll(async () => {
    stack = await startLocalExportStack({
      partnerId: RECON,
      partner: partnerOptions,
      connectwise: { clientId: 'recon' },
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: false },
    });
    await stack.mapEveryAccount({ identifierPrefix: 'Rec', city: 'Turku' });
    expect(await stack.exportNow()).toMatchObject({ status: 'succeeded', failed: 0 });
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  const view = async () => (await as(http().get(`/partners/${RECON}/review/reconciliation`)).expect(200)).body as ReconciledView;

  it('shows per line what the next run writes (price rule, bundle, exclusion, included quantity); after that run nothing differs', async () => {
    const partner = generatePartner({ partnerId: RECON, ...partnerOptions });
    const active = partner.accounts.filter((a) => a.account.status === 'active').sort((x, y) => x.account.id.localeCompare(y.account.id));
    const skusOf = (i: number) => [...new Set(active[i].subscriptions.map((s) => s.sku))].sort();
    const [ruled, bundled, joining] = skusOf(0);
    const [excluded, included] = skusOf(1).filter((s) => ![ruled, bundled, joining].includes(s));
    expect([ruled, bundled, joining, excluded, included].every(Boolean)).toBe(true);
    const bundleItem = stack.sim.state.catalogItems().find((i) => i.identifier === bundled)!.id;
    await as(http().put(`/partners/${RECON}/billing/products`))
      .send({
        products: [
          { sku: ruled, action: 'create', price: { kind: 'markup', percent: 25 } },
          { sku: bundled, action: 'item', catalogItemId: bundleItem },
          { sku: joining, action: 'item', catalogItemId: bundleItem },
        ],
        bundles: [{ catalogItemId: bundleItem, quantity: 'sum' }],
      })
      .expect(200);
    await as(http().put(`/partners/${RECON}/accounts/${active[1].account.id}/billing`))
      .send({ prices: [], exclusions: [{ sku: excluded, reason: 'in the support contract' }], included: [{ sku: included, quantity: 1 }] })
      .expect(200);

    stack.sim.resetRequests();
    const before = await view();
    expect(stack.sim.requests().filter((r) => WRITE.test(r.method))).toEqual([]);
    expect(stack.sim.requests().filter((r) => /additions/.test(r.path)).length).toBe(before.accounts.length); // one read per account
    const lineOf = (v: ReconciledView, accountId: string, sku: string) => v.accounts.find((a) => a.accountId === accountId)!.lines.find((l) => l.sku === sku);
    // Each rule shows: the bundle is one line, the excluded SKU bills nothing, the markup and the included quantity will be written.
    const sub = (i: number, sku: string) => active[i].subscriptions.filter((s) => s.sku === sku);
    const [a0, a1] = [active[0].account.id, active[1].account.id];
    const quantity = (i: number, sku: string) => sub(i, sku).reduce((t, s) => t + s.quantity, 0);
    expect(lineOf(before, a0, `${bundled} + ${joining}`)?.platform?.quantity).toBe(quantity(0, bundled) + quantity(0, joining));
    expect(lineOf(before, a0, joining)?.platform ?? null).toBeNull(); // its own line retires
    expect(lineOf(before, a0, ruled)?.platform?.price).toBeCloseTo(sub(0, ruled)[0].unitCost * 1.25, 1); // exact: checked against the write below
    expect(lineOf(before, a1, excluded)?.platform?.quantity).toBe(0);
    expect(lineOf(before, a1, included)?.differs).toBe(true); // lessIncluded to write
    expect(before.differingAccounts).toBeGreaterThanOrEqual(2);

    expect(await stack.exportNow()).toMatchObject({ status: 'succeeded', failed: 0 });
    const after = await view();
    const additions = new Map(stack.sim.state.additions().map((a) => [a.id, a]));
    for (const account of before.accounts) {
      for (const line of account.lines.filter((l) => l.platform !== null)) {
        const written = lineOf(after, account.accountId, line.sku);
        const addition = written?.additionId == null ? undefined : additions.get(written.additionId);
        if (line.platform!.quantity === 0 && !addition) continue; // nothing to bill, nothing created
        expect({ account: account.accountId, sku: line.sku, quantity: addition?.quantity, price: line.platform!.price === null ? null : addition?.unitPrice }).toEqual({
          account: account.accountId,
          sku: line.sku,
          ...line.platform,
        });
      }
    }
    expect(additions.get(lineOf(after, a1, included)!.additionId!)).toMatchObject({ lessIncluded: 1 });
    expect(lineOf(after, a1, included)).toMatchObject({ differs: false });
    expect(after.accounts.flatMap((a) => a.lines.filter((l) => l.differs).map((l) => `${a.accountId} ${l.sku}`))).toEqual([]);
    expect(after.differingAccounts).toBe(0);
  }, 120_000);
});
