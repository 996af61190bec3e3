import { sumPlanLines } from '@cwx/platform';
import { generatePartner } from './generate-partner';
import { mutatePartner } from './mutate-partner';
import type { AccountChange, RetailPriceChange } from './types';

describe('mutatePartner', () => {
  const original = generatePartner({ partnerId: 'm', seed: 21, accounts: 400 });

  it('changes exactly the requested share of accounts, one change each, and says what changed', () => {
    const { partner, changes } = mutatePartner(original, { seed: 1, changedShare: 0.1 });
    expect(changes).toHaveLength(40);
    const changed = new Set(changes.map((c) => (c as AccountChange).accountId));
    expect(changed.size).toBe(40);

    partner.accounts.forEach((account, i) => {
      const before = sumPlanLines(original.accounts[i].subscriptions);
      const after = sumPlanLines(account.subscriptions);
      if (!changed.has(account.account.id)) {
        expect(after).toEqual(before);
        return;
      }
      const change = changes.find((c) => (c as AccountChange).accountId === account.account.id) as AccountChange;
      expect(before.find((s) => s.sku === change.sku) ?? null).toEqual(change.before);
      expect(after.find((s) => s.sku === change.sku) ?? null).toEqual(change.after);
      expect(change.after).not.toEqual(change.before);
      // nothing else in the account moved
      expect(after.filter((s) => s.sku !== change.sku)).toEqual(before.filter((s) => s.sku !== change.sku));
      expect(account.users).toEqual(original.accounts[i].users);
    });
    expect(new Set(changes.map((c) => c.kind))).toEqual(new Set(['quantity-changed', 'sku-removed', 'sku-added', 'cost-changed']));
  });

  it('leaves its input untouched and repeats itself for the same seed', () => {
    const snapshot = structuredClone(original);
    const a = mutatePartner(original, { seed: 5, changedShare: 0.25, retailPriceChanges: 2 });
    const b = mutatePartner(original, { seed: 5, changedShare: 0.25, retailPriceChanges: 2 });
    expect(original).toEqual(snapshot);
    expect(b).toEqual(a);
    expect(mutatePartner(original, { seed: 6, changedShare: 0.25 }).changes).not.toEqual(a.changes);
  });

  it('changes retail prices when asked, in the partner price list', () => {
    const { partner, changes } = mutatePartner(original, { seed: 2, changedShare: 0, retailPriceChanges: 3 });
    const priceChanges = changes as RetailPriceChange[];
    expect(priceChanges).toHaveLength(3);
    for (const change of priceChanges) {
      expect(change.kind).toBe('retail-price-changed');
      expect(original.retailPrices.find((p) => p.sku === change.sku)?.price).toBe(change.before);
      expect(partner.retailPrices.find((p) => p.sku === change.sku)?.price).toBe(change.after);
      expect(change.after).not.toBe(change.before);
    }
  });

  it('rejects a share outside 0..1', () => {
    expect(() => mutatePartner(original, { seed: 1, changedShare: 1.5 })).toThrow(RangeError);
  });
});
