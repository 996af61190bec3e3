/**
 * What the partner's settings change: money off leaves ConnectWise's prices alone, the cancel policy dates a
 * disappeared SKU's line and undoes it when the SKU returns, and missing catalog defaults fail clearly.
 */
import { catalogIdentifierFor } from '@cwx/domain';
import { MISSING_DEFAULTS_MESSAGE } from '../../libs/export/src';
import { productIdOf, RUN_DATE, settingsWith, useHarness } from './support/harness';

describe('export settings (simulator)', () => {
  const h = useHarness({ partnerId: 'settings', seed: 23, accounts: 4 });

  it('cost and price off: nothing of ours written; catalog and manual prices in ConnectWise stay', async () => {
    const settings = settingsWith({ cost: false, retailPrice: false });
    const [first] = await h.subscriptions(h.accountIds[0]);
    const manual = await h.client.catalog.create({
      identifier: catalogIdentifierFor(first.sku),
      description: 'Set up by hand',
      customerDescription: 'Set up by hand',
      subcategory: { id: 2 },
      type: { id: 2 },
      cost: 1.11,
      price: 2.22,
    });

    const run = await h.exportAll(settings);
    expect(run.accounts.every((r) => r.status === 'changed')).toBe(true);
    expect(h.sim.countRequests({ method: 'PATCH', path: /procurement\/catalog/ })).toBe(0);
    const items = new Map(h.sim.state.catalogItems().map((i) => [Number(i.id), i]));
    expect(items.get(manual.id!)).toMatchObject({ cost: 1.11, price: 2.22, description: 'Set up by hand' });
    for (const accountId of h.accountIds) {
      for (const addition of h.additions(accountId)) {
        const item = items.get(productIdOf(addition))!;
        // Not sent: ConnectWise took them from the catalog item (0 for the items we created without money).
        expect(addition.unitCost).toBe(item.cost);
        expect(addition.unitPrice).toBe(item.price);
      }
    }

    const agreementId = h.agreementOf(h.accountIds[0]);
    const line = h.additions(h.accountIds[0])[0];
    await h.client.additions.patch(agreementId, Number(line.id), [
      { op: 'replace', path: 'unitPrice', value: 99.99 },
      { op: 'replace', path: 'unitCost', value: 42 },
    ]);
    h.sim.resetRequests();
    const again = await h.exportAll(settings);
    expect(h.writes()).toBe(0);
    expect(again.accounts.every((r) => r.status === 'unchanged')).toBe(true);
    expect(h.additions(h.accountIds[0]).find((a) => a.id === line.id)).toMatchObject({ unitPrice: 99.99, unitCost: 42 });
  });

  it('cancel policy: a disappeared SKU is cancelled on the run date; when it returns the same line is reactivated', async () => {
    const settings = settingsWith({ disappearedSku: { mode: 'cancel' } });
    const accountId = h.accountIds[1];
    const [gone] = await h.subscriptions(accountId);
    const productId = h.catalogIds().get(catalogIdentifierFor(gone.sku).toLowerCase());
    const lineOf = () => h.additions(accountId).filter((a) => productIdOf(a) === productId);
    const saved = structuredClone(h.partner);

    await h.editSubscriptions(accountId, (lines) => lines.splice(0, lines.length, ...lines.filter((l) => l.sku !== gone.sku)));
    h.sim.resetRequests();
    const cancelled = await h.runAccount(accountId, settings, new Map(), { runDate: '2026-03-02' });
    expect(cancelled.operations).toEqual([
      { entity: 'addition', action: 'retire', id: Number(lineOf()[0].id), sku: gone.sku, changes: [{ field: 'cancelledDate', before: null, after: '2026-03-02T00:00:00Z' }] },
    ]);
    expect(lineOf()).toHaveLength(1);
    expect(lineOf()[0]).toMatchObject({ cancelledDate: '2026-03-02T00:00:00Z', quantity: gone.quantity });
    expect(h.writes()).toBe(1);

    await h.writePartner(saved);
    const catalog = new Map([[gone.sku, productId!]]);
    const back = await h.runAccount(accountId, settings, catalog, { runDate: '2026-03-03' });
    expect(back.operations).toMatchObject([{ action: 'update', sku: gone.sku, changes: [{ field: 'cancelledDate', before: '2026-03-02T00:00:00Z', after: null }] }]);
    expect(lineOf()).toHaveLength(1);
    expect(lineOf()[0].cancelledDate).toBeUndefined();
    expect(h.sim.countRequests({ method: 'POST', path: /additions/ })).toBe(0);
    h.sim.resetRequests();
    await h.runAccount(accountId, settings, catalog, { runDate: '2026-03-04' });
    expect(h.writes()).toBe(0);
  });

  it('products on without a catalog subcategory and product type: a clear failed catalog phase, nothing written', async () => {
    const accountId = h.accountIds[2];
    const held = new Set((await h.subscriptions(accountId)).map((s) => s.sku));
    const newSku = h.partner.skus.find((s) => !h.catalogIds().has(catalogIdentifierFor(s.sku).toLowerCase()) && !held.has(s.sku))!;
    await h.editSubscriptions(accountId, (lines) => lines.push({ planId: 'extra', sku: newSku.sku, quantity: 3, unitCost: 4.5 }));
    h.sim.resetRequests();

    const result = await h.runCatalog(settingsWith(), { defaults: { subcategoryId: null, productTypeId: null } });
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'settings', code: 'EXPORT_MISSING_DEFAULTS' });
    expect(result.error!.message).toContain(MISSING_DEFAULTS_MESSAGE);
    expect(result.error!.message).toContain(newSku.sku);
    expect(h.writes()).toBe(0);
  });

  it('a SKU with no retail price: fail-line writes nothing for it and warns; skip-price writes it without a price and warns', async () => {
    const accountId = h.accountIds[3];
    const held = await h.subscriptions(accountId);
    const [priced] = held;
    const fresh = h.partner.skus.find((s) => !held.some((l) => l.sku === s.sku))!;
    const unpriced = { sku: fresh.sku, quantity: 3 };
    const saved = structuredClone(h.partner);
    const copy = structuredClone(h.partner);
    copy.accounts.find((a) => a.account.id === accountId)!.subscriptions.push({ planId: 'extra', sku: fresh.sku, quantity: 3, unitCost: 4.5 });
    copy.retailPrices = copy.retailPrices.filter((p) => p.sku !== fresh.sku);
    if (!copy.retailPrices.some((p) => p.sku === priced.sku)) copy.retailPrices.push({ sku: priced.sku, price: 9.5 });
    await h.writePartner(copy);
    const productOf = (sku: string) => h.catalogIds().get(catalogIdentifierFor(sku).toLowerCase());
    const lineOf = async (sku: string) => {
      await h.runCatalog(settingsWith({ cost: true, retailPrice: true }));
      return (await h.client.additions.list(h.agreementOf(accountId))).filter((a) => a.product?.id === productOf(sku));
    };

    const [failed] = (await h.exportAll(settingsWith({ cost: true, retailPrice: true, missingRetailPrice: 'fail-line' }), { accountIds: [accountId] })).accounts;
    expect(await lineOf(unpriced.sku)).toEqual([]);
    expect(await lineOf(priced.sku)).toHaveLength(1);
    expect(failed.warnings).toContainEqual({ code: 'missing-retail-price', sku: unpriced.sku, message: expect.stringContaining('not written') as string });
    expect(failed.operations.some((o) => o.sku === unpriced.sku)).toBe(false);

    const [skipped] = (await h.exportAll(settingsWith({ cost: true, retailPrice: true, missingRetailPrice: 'skip-price' }), { accountIds: [accountId] })).accounts;
    const [line] = await lineOf(unpriced.sku);
    expect(line).toMatchObject({ quantity: unpriced.quantity, unitCost: expect.any(Number) as number });
    const item = h.sim.state.catalogItems().find((i) => i.id === productOf(unpriced.sku))!;
    expect(line.unitPrice).toBe(item.price); // not sent: ConnectWise's catalog price
    expect(skipped.warnings).toContainEqual({ code: 'missing-retail-price', sku: unpriced.sku, message: expect.stringContaining('without a unit price') as string });
    expect(skipped.operations).toContainEqual(expect.objectContaining({ action: 'create', sku: unpriced.sku }));
    expect(skipped.operations.find((o) => o.sku === unpriced.sku)!.changes.map((c) => c.field)).not.toContain('unitPrice');
    await h.writePartner(saved);
  });

  it('suspended and cancelled platform accounts: zero or cancel their lines by policy, bill as usual on request, back when active', async () => {
    const copy = structuredClone(h.partner);
    const [suspended, cancelled, active] = copy.accounts;
    suspended.account.status = 'suspended';
    cancelled.account.status = 'cancelled';
    active.account.status = 'active';
    await h.writePartner(copy);
    const ids = [suspended.account.id, cancelled.account.id];
    const live = async (accountId: string) =>
      (await h.client.additions.list(h.agreementOf(accountId))).filter((a) => !a.cancelledDate && (a.quantity ?? 0) > 0);
    // Billed first (the account was active), so there are lines to stop.
    await h.exportAll(settingsWith(), { accountIds: ids });
    for (const accountId of ids) expect((await live(accountId)).length).toBeGreaterThan(0);

    const settings = settingsWith({ suspendedAccounts: 'zero', cancelledAccounts: 'cancel' });
    const run = await h.exportAll(settings, { accountIds: ids, withAccountStatus: true });
    for (const accountId of ids) expect(await live(accountId)).toEqual([]);
    const suspendedLines = await h.client.additions.list(h.agreementOf(suspended.account.id));
    expect(suspendedLines.every((a) => a.quantity === 0 && !a.cancelledDate)).toBe(true);
    const cancelledLines = await h.client.additions.list(h.agreementOf(cancelled.account.id));
    expect(cancelledLines.every((a) => a.cancelledDate === `${RUN_DATE}T00:00:00Z`)).toBe(true);
    const [s, c] = run.accounts;
    expect(s.status).toBe('changed');
    expect(s.operations.every((o) => o.action === 'retire')).toBe(true);
    expect(s.warnings).toContainEqual({ code: 'account-suspended', message: expect.stringContaining('set to quantity 0') as string });
    expect(c.warnings).toContainEqual({ code: 'account-cancelled', message: expect.stringContaining('cancelled on the run date') as string });

    h.sim.resetRequests();
    const again = await h.exportAll(settings, { accountIds: ids, withAccountStatus: true });
    expect(h.writes()).toBe(0);
    expect(again.accounts.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    expect(again.accounts[0].warnings.map((w) => w.code)).toContain('account-suspended');

    const billed = await h.exportAll(settingsWith({ suspendedAccounts: 'bill', cancelledAccounts: 'bill' }), { accountIds: ids, withAccountStatus: true });
    for (const accountId of ids) expect((await live(accountId)).length).toBeGreaterThan(0);
    expect(billed.accounts[0].warnings).toContainEqual({ code: 'account-suspended', message: expect.stringContaining('billed as usual') as string });
  });
});
