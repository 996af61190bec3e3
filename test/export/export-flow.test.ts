/**
 * The export end to end over real HTTP: first run, an unchanged second run, a day of platform changes, and
 * the preview of a change, on a generated partner of 10 accounts.
 */
import { catalogIdentifierFor, normalizeMoney } from '@cwx/domain';
import { mutatePartner, type AccountChange } from '@cwx/platform-testing';
import { productIdOf, settingsWith, useHarness } from './support/harness';

describe('export flow (simulator, PGlite, generated partner)', () => {
  const h = useHarness({ partnerId: 'flow', seed: 11, accounts: 10 });
  const settings = settingsWith({ cost: true, retailPrice: true });

  it('first run: one catalog item per resold SKU, one addition per subscription with quantity, unit cost and retail price', async () => {
    const seededIdentifiers = new Set(h.sim.state.catalogItems().map((i) => String(i.identifier).toLowerCase()));
    const run = await h.exportAll(settings);

    const resold = new Set<string>();
    for (const id of h.accountIds) for (const s of await h.subscriptions(id)) resold.add(s.sku);
    const ids = h.catalogIds();
    for (const sku of resold) expect(ids.get(catalogIdentifierFor(sku).toLowerCase())).toBeDefined();
    const expectedCreates = [...resold].filter((sku) => !seededIdentifiers.has(catalogIdentifierFor(sku).toLowerCase())).length;
    expect(expectedCreates).toBeGreaterThan(0);
    expect(h.sim.countRequests({ method: 'POST', path: /procurement\/catalog/ })).toBe(expectedCreates);
    expect(run.catalog).toMatchObject({ status: 'changed', conflicts: [] });
    expect(run.catalog.catalog.map((e) => e.sku).sort()).toEqual([...resold].sort());
    const stored = await h.stores.catalogItems.list(h.partnerId);
    expect(stored.map((s) => s.sku).sort()).toEqual([...resold].sort());

    const prices = new Map(h.partner.retailPrices.map((p) => [p.sku, p.price]));
    for (const accountId of h.accountIds) {
      const result = run.accounts.find((r) => r.accountId === accountId)!;
      expect(result.status).toBe('changed');
      expect(result.error).toBeUndefined();
      const subs = (await h.subscriptions(accountId)).filter((s) => s.quantity > 0);
      const additions = h.additions(accountId);
      expect(additions).toHaveLength(subs.length);
      for (const sub of subs) {
        const productId = ids.get(catalogIdentifierFor(sub.sku).toLowerCase());
        const addition = additions.find((a) => productIdOf(a) === productId)!;
        expect(addition).toMatchObject({ quantity: sub.quantity, billCustomer: 'Billable', effectiveDate: '2026-03-01T00:00:00Z' });
        expect(addition.unitCost).toBeCloseTo(normalizeMoney(sub.unitCost), 4);
        const price = prices.get(sub.sku);
        if (price !== undefined) expect(addition.unitPrice).toBeCloseTo(price, 4);
      }
      const ownership = await h.stores.ownership.list(h.partnerId, h.agreementOf(accountId));
      expect(ownership.map((o) => o.additionId).sort()).toEqual(additions.map((a) => Number(a.id)).sort());
      expect(result.operations.filter((o) => o.action === 'create')).toHaveLength(subs.length);
      expect(result.operations.every((o) => o.id !== null)).toBe(true);
      expect(result.plannedWrites).toBe(subs.length);
      expect(result.connectwiseCalls).toBeGreaterThanOrEqual(subs.length + 1);
    }
  });

  it('unchanged second run: zero write calls, every account unchanged', async () => {
    h.sim.resetRequests();
    const run = await h.exportAll(settings);
    expect(h.writes()).toBe(0);
    expect(run.catalog).toMatchObject({ status: 'unchanged', operations: [] });
    expect(run.accounts.map((r) => r.status)).toEqual(h.accountIds.map(() => 'unchanged'));
    // One paged read of the additions per account, and the catalog look-up: nothing else.
    expect(run.accounts.every((r) => r.connectwiseCalls === 1 && r.plannedWrites === 0 && r.operations.length === 0)).toBe(true);
  });

  it('a day of changes (quantities, SKUs removed and added, costs): exactly those writes', async () => {
    // The first seed whose mutation has every kind of change (deterministic).
    const mutation = (seed: number) => mutatePartner(h.partner, { seed, changedShare: 0.6 });
    const seed = Array.from({ length: 50 }, (_, i) => i + 1).find((s) => new Set(mutation(s).changes.map((c) => c.kind)).size === 4);
    const { partner, changes } = mutation(seed!);
    const accountChanges = changes.filter((c): c is AccountChange => c.kind !== 'retail-price-changed');
    expect(new Set(accountChanges.map((c) => c.kind)).size).toBe(4);
    await h.writePartner(partner);
    h.sim.resetRequests();

    const run = await h.exportAll(settings);
    const additionWrites = h.sim.countRequests({ method: 'POST', path: /additions/ }) + h.sim.countRequests({ method: 'PATCH', path: /additions/ });
    expect(additionWrites).toBe(accountChanges.length);
    expect(h.writes()).toBe(additionWrites + run.catalog.operations.length);
    expect(h.sim.countRequests({ method: 'DELETE' })).toBe(0);

    const ids = h.catalogIds();
    for (const change of accountChanges) {
      const result = run.accounts.find((r) => r.accountId === change.accountId)!;
      expect(result.status).toBe('changed');
      const productId = ids.get(catalogIdentifierFor(change.sku).toLowerCase());
      const addition = h.additions(change.accountId).find((a) => productIdOf(a) === productId)!;
      const [op] = result.operations;
      expect(result.operations).toHaveLength(1);
      switch (change.kind) {
        case 'quantity-changed':
          expect(addition.quantity).toBe(change.after!.quantity);
          expect(op).toMatchObject({ action: 'update', sku: change.sku, changes: [{ field: 'quantity', before: change.before!.quantity, after: change.after!.quantity }] });
          break;
        case 'sku-removed':
          expect(addition.quantity).toBe(0);
          expect(op).toMatchObject({ action: 'retire', sku: change.sku, changes: [{ field: 'quantity', before: change.before!.quantity, after: 0 }] });
          break;
        case 'sku-added':
          expect(addition.quantity).toBe(change.after!.quantity);
          expect(op).toMatchObject({ action: 'create', sku: change.sku, id: Number(addition.id) });
          break;
        case 'cost-changed':
          expect(addition.unitCost).toBeCloseTo(change.after!.unitCost, 4);
          expect(op).toMatchObject({ action: 'update', sku: change.sku, changes: [{ field: 'unitCost' }] });
          break;
      }
    }
    const changed = new Set(accountChanges.map((c) => c.accountId));
    for (const result of run.accounts.filter((r) => !changed.has(r.accountId))) expect(result.status).toBe('unchanged');
  });

  it('preview: the planned operations with before and after, and zero writes; applying gives the same operations', async () => {
    const { partner, changes } = mutatePartner(h.partner, { seed: 99, changedShare: 0.3 });
    await h.writePartner(partner);
    h.sim.resetRequests();
    const preview = await h.exportAll(settings, { dryRun: true });
    expect(h.writes()).toBe(0);
    const previewed = preview.accounts.filter((r) => r.status === 'changed');
    expect(previewed.map((r) => r.accountId).sort()).toEqual([...new Set(changes.map((c) => (c as AccountChange).accountId))].sort());
    for (const r of preview.accounts) expect(r.dryRun).toBe(true);

    const applied = await h.exportAll(settings);
    for (const planned of previewed) {
      const done = applied.accounts.find((r) => r.accountId === planned.accountId)!;
      expect(done.operations.map(({ id: _id, ...rest }) => rest)).toEqual(planned.operations.map(({ id: _id, ...rest }) => rest));
      expect(done.plannedWrites).toBe(planned.plannedWrites);
    }
  });
});
