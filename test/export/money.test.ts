/**
 * Sub-cent money end to end: a per-GB SKU priced in fractions of a cent on a fractional quantity. A change at the
 * fourth decimal reaches both the catalog item and the addition, read back through ConnectWise's API; the next run
 * writes nothing.
 */
import { catalogIdentifierFor } from '@cwx/domain';
import { productIdOf, settingsWith, useHarness } from './support/harness';

describe('sub-cent prices and costs (simulator)', () => {
  const h = useHarness({ partnerId: 'money', seed: 47, accounts: 3 });
  const settings = settingsWith({ cost: true, retailPrice: true });
  const SKU = 'STORAGE-GB';

  /** Puts SKU on every account at 114.5 GB with this cost, and prices it in the retail list. */
  async function priceStorage(unitCost: number, price: number): Promise<void> {
    const copy = structuredClone(h.partner);
    if (!copy.skus.some((s) => s.sku === SKU)) copy.skus.push({ sku: SKU, name: 'Backup storage per GB', unit: 'GB' });
    copy.retailPrices = [...copy.retailPrices.filter((p) => p.sku !== SKU), { sku: SKU, price }];
    for (const account of copy.accounts) {
      account.subscriptions = [...account.subscriptions.filter((l) => l.sku !== SKU), { planId: 'storage', sku: SKU, quantity: 114.5, unitCost }];
    }
    await h.writePartner(copy);
  }

  /** The SKU's catalog item and each agreement's addition of it, read through ConnectWise's REST API. */
  async function readBack() {
    const [item] = await h.client.catalog.list({ conditions: `identifier = "${catalogIdentifierFor(SKU)}"` });
    const lines = await Promise.all(
      h.accountIds.map(async (accountId) => (await h.client.additions.list(h.agreementOf(accountId))).filter((a) => a.product?.id === item?.id)),
    );
    return { item, lines: lines.flat() };
  }

  it('0.0443 → 0.0483 a GB and cost 0.0516 → 0.0566 on 114.5 GB: written to the catalog item and every addition, then nothing', async () => {
    await priceStorage(0.0516, 0.0443);
    await h.exportAll(settings);
    const before = await readBack();
    expect(before.item).toMatchObject({ cost: 0.0516, price: 0.0443 });
    expect(before.lines.map((a) => [a.quantity, a.unitCost, a.unitPrice])).toEqual(h.accountIds.map(() => [114.5, 0.0516, 0.0443]));

    await priceStorage(0.0566, 0.0483);
    h.sim.resetRequests();
    const run = await h.exportAll(settings);
    expect(run.catalog.operations.filter((o) => o.sku === SKU)).toEqual([
      expect.objectContaining({
        action: 'update',
        changes: [
          { field: 'cost', before: 0.0516, after: 0.0566 },
          { field: 'price', before: 0.0443, after: 0.0483 },
        ],
      }),
    ]);
    for (const result of run.accounts) {
      expect(result.operations.filter((o) => o.sku === SKU)).toEqual([
        expect.objectContaining({
          action: 'update',
          changes: [
            { field: 'unitCost', before: 0.0516, after: 0.0566 },
            { field: 'unitPrice', before: 0.0443, after: 0.0483 },
          ],
        }),
      ]);
    }
    const after = await readBack();
    expect(after.item).toMatchObject({ cost: 0.0566, price: 0.0483 });
    expect(after.lines.map((a) => [a.quantity, a.unitCost, a.unitPrice])).toEqual(h.accountIds.map(() => [114.5, 0.0566, 0.0483]));
    expect(after.lines.every((a) => productIdOf(a as Record<string, unknown>) === after.item?.id)).toBe(true);

    h.sim.resetRequests();
    const again = await h.exportAll(settings);
    expect(h.writes()).toBe(0);
    expect(again.accounts.every((r) => r.status === 'unchanged')).toBe(true);
    expect(again.catalog.status).toBe('unchanged');
  });
});
