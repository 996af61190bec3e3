/**
 * Adopting an MSP whose ConnectWise already has its own catalog items and hand-made agreement lines (issue 18): the
 * simulator's "existing MSP" seed, product mapping from the catalog suggestions, price rules, then runs through the
 * API in local mode. Ends with exactly one line per (agreement, item, term), at the rule's price, the hand-made lines
 * adopted, nothing duplicated, and a second run that writes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { normalizeMoney, roundHalfAway } from '@cwx/domain';
import { InProcessMessageBus } from '@cwx/messaging';
import { sumPlanLines } from '@cwx/platform';
import { type GeneratedPartner, generatePartner, writePartnerToFolder } from '@cwx/platform-testing';
import { existingMspSeed, type ExistingMspSeed, startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { connectPartnerToSimulator, partnerToken, startTestControlPlane, type RunBody as Run, type TestControlPlane } from '../support/control-plane';

const PARTNER = 'existing-msp';
const WRITE = /^(POST|PATCH|PUT|DELETE)$/;


type Rule = { kind: 'markup'; percent: number } | { kind: 'fixed'; amount: number } | { kind: 'platform-retail' } | { kind: 'catalog' };

describe('adopting an existing MSP (local mode, simulator "existing MSP" seed)', () => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let dataDir: string;
  let token: string;
  let partner: GeneratedPartner;
  let msp: ExistingMspSeed;
  const rules = new Map<string, Rule>();
  const http = () => request(cp.app.getHttpServer());
  const as = (req: request.Test) => req.auth(token, { type: 'bearer' });

  async function exportNow(): Promise<Run> {
    const started = (await as(http().post(`/partners/${PARTNER}/runs`)).expect(201)).body as Run;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const run = (await as(http().get(`/partners/${PARTNER}/runs/${started.id}`)).expect(200)).body as Run;
      if (!['queued', 'running'].includes(run.status)) return run;
      if (Date.now() > deadline) throw new Error(`run did not finish: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const subscriptionsOf = (accountId: string) => sumPlanLines(partner.accounts.find((a) => a.account.id === accountId)!.subscriptions);
  const termOf = (addition: Record<string, unknown>) => (typeof addition.invoiceDescription === 'string' && addition.invoiceDescription.endsWith('(annual term)') ? 'annual' : 'monthly');

  beforeAll(async () => {
    partner = generatePartner({ partnerId: PARTNER, seed: 18, accounts: 4, skusPerAccount: { min: 3, max: 5 }, usersPerAccount: { min: 3, max: 6 }, annualTerms: 0.5 });
    for (const a of partner.accounts) a.account.status = 'active';
    const used = new Set(partner.accounts.flatMap((a) => a.subscriptions.map((s) => s.sku)));
    msp = existingMspSeed({
      accounts: partner.accounts.map((a) => a.account),
      skus: partner.skus.filter((s) => used.has(s.sku)),
      // What the MSP keyed in by hand: the monthly lines, one unit off.
      lines: partner.accounts.flatMap((a) => sumPlanLines(a.subscriptions).filter((s) => !s.term).map((s) => ({ accountId: a.account.id, sku: s.sku, quantity: s.quantity + 1 }))),
    });
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-existing-msp-'));
    await writePartnerToFolder(partner, dataDir);
    sim = await startSimulator({ seed: msp.seed });
    cp = await startTestControlPlane({
      bus: new InProcessMessageBus({ deliveryLimit: 2, retryDelayMs: 10 }),
      embeddedWorker: true,
      config: {
        connectwise: { clientId: 'existing-msp', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 5000, maxRetries: 1, retryMaxDelayMs: 50 },
        platform: { kind: 'folder', dataDir },
      },
    });
    token = await partnerToken(PARTNER);
    await connectPartnerToSimulator(cp.app, PARTNER, token, sim.baseUrl, {
      data: { products: true, quantity: true, cost: false, retailPrice: false, usersList: false },
      connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, agreementTypeId: 2, billingCycleId: 2 },
    });
    const list = await as(http().get(`/partners/${PARTNER}/accounts`)).query({ pageSize: 100 }).expect(200);
    for (const a of list.body.items as { accountId: string; version: number }[]) {
      const ids = msp.accounts.get(a.accountId)!;
      await as(http().put(`/partners/${PARTNER}/accounts/${a.accountId}/mapping`)).send({ version: a.version, companyId: ids.companyId, agreementId: ids.agreementId }).expect(200);
    }
  }, 120_000);

  afterAll(async () => {
    await cp?.close();
    await sim?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("maps every SKU onto the MSP's own catalog item from the suggestions (vendor SKU or part number), with a price rule each", async () => {
    const suggestions = (await as(http().get(`/partners/${PARTNER}/catalog/suggestions`)).expect(200)).body as {
      items: { sku: string; suggestion: { catalogItemId: number; reason: string } | null }[];
    };
    const retail = new Map(partner.retailPrices.map((p) => [p.sku, p.price]));
    const products = [...msp.items.keys()].sort().map((sku, i) => {
      const suggested = suggestions.items.find((s) => s.sku === sku)?.suggestion;
      expect(suggested?.catalogItemId).toBe(msp.items.get(sku)!.id);
      const rule: Rule =
        i % 3 === 0 ? { kind: 'markup', percent: 20 } : i % 3 === 1 ? { kind: 'fixed', amount: 9.99 } : retail.has(sku) ? { kind: 'platform-retail' } : { kind: 'catalog' };
      rules.set(sku, rule);
      return { sku, action: 'item', catalogItemId: suggested!.catalogItemId, price: rule };
    });
    const saved = await as(http().put(`/partners/${PARTNER}/billing/products`)).send({ products, bundles: [] }).expect(200);
    expect(saved.body.products).toHaveLength(products.length);
  });

  it('the first run adopts the hand-made lines and ends with one line per item and term, at the rule\'s price, no catalog item created', async () => {
    sim.resetRequests();
    const run = await exportNow();
    expect(run).toMatchObject({ status: 'succeeded', failed: 0 });
    expect(sim.countRequests({ method: 'POST', path: /procurement\/catalog/ })).toBe(0);
    const retail = new Map(partner.retailPrices.map((p) => [p.sku, p.price]));

    let adopted = 0;
    for (const account of partner.accounts) {
      const ids = msp.accounts.get(account.account.id)!;
      const lines = sim.state.additions(ids.agreementId);
      const keys = lines.map((l) => `${(l.product as { id: number }).id}/${termOf(l)}`);
      expect(new Set(keys).size).toBe(keys.length); // one line per (item, term)
      for (const sub of subscriptionsOf(account.account.id)) {
        const item = msp.items.get(sub.sku)!;
        const term = sub.term ?? 'monthly';
        const [line] = lines.filter((l) => (l.product as { id: number }).id === item.id && termOf(l) === term);
        expect(line).toBeDefined();
        expect(line.quantity).toBe(sub.quantity);
        if (term === 'monthly') {
          expect(line.id).toBe(msp.additions.get(`${account.account.id} ${sub.sku}`));
          adopted += 1;
        }
        const rule = rules.get(sub.sku)!;
        const expected =
          rule.kind === 'markup'
            ? roundHalfAway(normalizeMoney(sub.unitCost) * 1.2, 2)
            : rule.kind === 'fixed'
              ? rule.amount
              : rule.kind === 'platform-retail'
                ? retail.get(sub.sku)!
                : item.price; // the catalog item's own price: we wrote none
        expect(line.unitPrice).toBeCloseTo(expected, 4);
      }
    }
    expect(adopted).toBeGreaterThan(0);

    const log = (await as(http().get(`/partners/${PARTNER}/runs/${run.id}/log`)).expect(200)).body as { items: { operations: { priceRule?: string }[] }[] };
    const shownRules = log.items.flatMap((e) => e.operations.flatMap((o) => (o.priceRule === undefined ? [] : [o.priceRule])));
    expect(shownRules.some((r) => r.startsWith('cost + 20%'))).toBe(true);
  }, 120_000);

  it('a second run makes zero writes', async () => {
    sim.resetRequests();
    const run = await exportNow();
    expect(run.status).toBe('succeeded');
    expect(sim.requests().filter((r) => WRITE.test(r.method))).toEqual([]);
  }, 120_000);

  it("a mapping change moves the line at the next run: the MSP item's line goes to 0, the SKU's own item is created and billed once", async () => {
    const [sku] = [...msp.items.keys()].sort();
    const current = (await as(http().get(`/partners/${PARTNER}/billing/products`)).expect(200)).body as { products: { sku: string }[] };
    const products = current.products.map((p) => (p.sku === sku ? { sku, action: 'create' } : p));
    await as(http().put(`/partners/${PARTNER}/billing/products`)).send({ products, bundles: [] }).expect(200);

    const run = await exportNow();
    expect(run).toMatchObject({ status: 'succeeded', failed: 0 });
    const own = sim.state.catalogItems().find((i) => i.identifier === sku);
    expect(own).toBeDefined();
    for (const account of partner.accounts) {
      const subs = subscriptionsOf(account.account.id).filter((s) => s.sku === sku);
      if (subs.length === 0) continue;
      const lines = sim.state.additions(msp.accounts.get(account.account.id)!.agreementId);
      for (const sub of subs) {
        const term = sub.term ?? 'monthly';
        const old = lines.filter((l) => (l.product as { id: number }).id === msp.items.get(sku)!.id && termOf(l) === term);
        const moved = lines.filter((l) => (l.product as { id: number }).id === own!.id && termOf(l) === term);
        expect(old.map((l) => l.quantity)).toEqual([0]);
        expect(moved.map((l) => l.quantity)).toEqual([sub.quantity]);
      }
    }
    sim.resetRequests();
    expect((await exportNow()).status).toBe('succeeded');
    expect(sim.requests().filter((r) => WRITE.test(r.method))).toEqual([]);
  }, 120_000);
});
