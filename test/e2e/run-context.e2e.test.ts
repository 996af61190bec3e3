/**
 * A worker reads the partner's context (settings, billing control, review policy, catalog) once per run and keeps it
 * for that run's account jobs (libs/jobs RunContextCache). Each run started after the partner changed one of them
 * must export with the change: local mode's embedded worker is one process whose account use-case serves every run
 * here, seconds apart (well inside the cache's TTL), so a cache that ignored the run would serve the first run's
 * context to the later ones and these tests would fail.
 */
import type request from 'supertest';
import { generatePartner } from '@cwx/platform-testing';
import { startLocalExportStack, type LocalExportStack } from '../support/control-plane';

const PARTNER = 'run-context-msp';
const WRITE = /^(POST|PATCH|PUT|DELETE)$/;
const partnerOptions = { seed: 11, accounts: 4, skusPerAccount: { min: 2, max: 3 }, usersPerAccount: 2 };

describe('a later run reads what the partner changed since the last one (local mode, one worker)', () => {
  let stack: LocalExportStack;
  const http = () => stack.http();
  const as = (req: request.Test) => stack.as(req);
  const sim = () => stack.sim;

  /** The SKU some accounts hold that the first run must not bill (do-not-bill), so it has no catalog item yet. */
  const partner = generatePartner({ partnerId: PARTNER, ...partnerOptions });
  const skuCounts = new Map<string, number>();
  for (const a of partner.accounts) for (const sku of new Set(a.subscriptions.map((s) => s.sku))) skuCounts.set(sku, (skuCounts.get(sku) ?? 0) + 1);
  const heldSku = [...skuCounts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0][0];

  /** Our additions in ConnectWise, with the SKU of their catalog item. */
  const additions = () => {
    const skuOf = new Map(sim().state.catalogItems().map((i) => [i.id, i.identifier]));
    return (sim().state.additions() as unknown as { id: number; product: { id: number }; quantity: number }[]).map((a) => ({ ...a, sku: skuOf.get(a.product.id) }));
  };

  const saveSettings = async (data: Record<string, boolean>) => {
    const current = (await as(http().get(`/partners/${PARTNER}/integration/settings`)).expect(200)).body as { version: number };
    await as(http().put(`/partners/${PARTNER}/integration/settings`))
      .send({
        version: current.version,
        exportMode: 'manual',
        timeZone: 'UTC',
        disappearedSku: 'zero',
        data,
        connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, agreementTypeId: 2, billingCycleId: 2 },
      })
      .expect(200);
  };

  beforeAll(async () => {
    stack = await startLocalExportStack({
      partnerId: PARTNER,
      partner: partnerOptions,
      connectwise: { clientId: 'run-context' },
      data: { products: true, quantity: true, cost: false, retailPrice: false, usersList: false },
    });
    await stack.mapEveryAccount({ identifierPrefix: 'Ctx', city: 'Lyon' });
    await as(http().put(`/partners/${PARTNER}/billing/products`))
      .send({ products: [{ sku: heldSku, action: 'do-not-bill' }], bundles: [] })
      .expect(200);
    expect(await stack.exportNow()).toMatchObject({ status: 'succeeded', failed: 0, done: 4 });
    expect(additions().length).toBeGreaterThan(0);
    expect(additions().filter((a) => a.sku === heldSku)).toEqual([]);
    expect(sim().state.catalogItems().map((i) => i.identifier)).not.toContain(heldSku);
    expect(sim().state.documents()).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("settings: a run after the users CSV was turned on attaches one to every account's agreement", async () => {
    await saveSettings({ products: true, quantity: true, cost: false, retailPrice: false, usersList: true });
    expect(await stack.exportNow()).toMatchObject({ status: 'succeeded', failed: 0, changed: 4 });
    expect(sim().state.documents().length).toBe(4);
  }, 60_000);

  it('billing control and catalog: a run after a do-not-bill SKU was mapped to its own item creates the item and bills it', async () => {
    await as(http().put(`/partners/${PARTNER}/billing/products`)).send({ products: [], bundles: [] }).expect(200);
    expect(await stack.exportNow()).toMatchObject({ status: 'succeeded', failed: 0 });
    // The run's catalog phase created the item; its account jobs (same run) found it and billed the SKU.
    const item = sim().state.catalogItems().find((i) => i.identifier === heldSku);
    expect(item).toBeDefined();
    const holders = partner.accounts.filter((a) => a.account.status === 'active' && a.subscriptions.some((s) => s.sku === heldSku));
    const billed = additions().filter((a) => a.sku === heldSku);
    expect(billed.length).toBe(holders.length);
    expect(billed.every((a) => Number(a.quantity) > 0)).toBe(true);
  }, 60_000);

  it('review policy: a run after "everything waits" was chosen writes nothing and holds the changes', async () => {
    await as(http().put(`/partners/${PARTNER}/review/policy`)).send({ preset: 'everything-waits' }).expect(200);
    await stack.editSubscriptions((subs) => {
      subs[0].quantity += 3;
    });
    sim().resetRequests();
    expect(await stack.exportNow()).toMatchObject({ status: 'succeeded', failed: 0 });
    expect(sim().requests().filter((r) => WRITE.test(r.method))).toEqual([]);
    const totals = ((await as(http().get(`/partners/${PARTNER}/review/changes`)).expect(200)).body as { totals: { count: number } }).totals;
    expect(totals.count).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
