import { DEFAULT_BILLING_CONTROL, type BillingControl } from '../billing';
import { aLine, anAddition } from '../testing/builders';
import { reconcileAccount } from './reconciliation';

const catalog = new Map([
  ['A', 1],
  ['B', 2],
  ['C', 3],
]);

describe('reconcileAccount', () => {
  it('shows each line on both sides with the difference, and which lines differ', () => {
    const out = reconcileAccount({
      desired: [aLine('A', { quantity: 10, retailPrice: 20 }), aLine('B', { quantity: 3, retailPrice: 5 }), aLine('C', { quantity: 2, retailPrice: 9 })],
      catalog,
      actual: [anAddition(11, 1, { quantity: 12, unitPrice: 20 }), anAddition(12, 2, { quantity: 3, unitPrice: 6 }), anAddition(13, 4, { quantity: 1 })],
      ownership: [
        { key: 'A', additionId: 11 },
        { key: 'OLD', additionId: 13 },
      ],
    });
    expect(out.lines).toEqual([
      { sku: 'A', additionId: 11, platform: { quantity: 10, price: 20 }, connectwise: { quantity: 12, price: 20 }, quantityDifference: 2, monthlyDifference: 40, differs: true },
      { sku: 'B', additionId: 12, platform: { quantity: 3, price: 5 }, connectwise: { quantity: 3, price: 6 }, quantityDifference: 0, monthlyDifference: 3, differs: true },
      { sku: 'C', additionId: null, platform: { quantity: 2, price: 9 }, connectwise: null, quantityDifference: -2, monthlyDifference: -18, differs: true },
      { sku: 'OLD', additionId: 13, platform: null, connectwise: { quantity: 1, price: 20 }, quantityDifference: 1, monthlyDifference: 20, differs: true },
    ]);
    expect(out).toMatchObject({ differing: 4, monthlyDifference: 45 });
  });

  it('a line in step is not a difference; a cancelled addition counts as nothing in ConnectWise', () => {
    const same = reconcileAccount({ desired: [aLine('A', { quantity: 10, retailPrice: 20 })], catalog, actual: [anAddition(11, 1)], ownership: [{ key: 'A', additionId: 11 }] });
    expect(same).toMatchObject({ differing: 0, monthlyDifference: 0 });
    const cancelled = reconcileAccount({ desired: [], catalog, actual: [anAddition(11, 1, { cancelledDate: '2026-11-30T00:00:00Z' })], ownership: [{ key: 'A', additionId: 11 }] });
    expect(cancelled.lines[0]).toMatchObject({ connectwise: null, differs: false });
  });

  describe('with billing control (as the export makes the lines)', () => {
    const billing = (over: Partial<BillingControl>): BillingControl => ({ ...DEFAULT_BILLING_CONTROL, ...over });

    it("a SKU mapped to the MSP's own item at a fixed price is compared with that item's line, under the SKU's name", () => {
      const out = reconcileAccount({
        desired: [aLine('A', { quantity: 4, retailPrice: 20 })],
        catalog,
        actual: [anAddition(21, 50, { quantity: 4, unitPrice: 42.5 })],
        ownership: [{ key: 'item:50:monthly', additionId: 21 }],
        billing: billing({ products: [{ sku: 'A', action: { kind: 'item', catalogItemId: 50 }, price: { kind: 'fixed', amount: 42.5 } }] }),
      });
      expect(out.lines).toEqual([{ sku: 'A', additionId: 21, platform: { quantity: 4, price: 42.5 }, connectwise: { quantity: 4, price: 42.5 }, quantityDifference: 0, monthlyDifference: 0, differs: false }]);
      // Without the mapping the same ConnectWise line is not the SKU's: its own item has no line.
      const unmapped = reconcileAccount({ desired: [aLine('A', { quantity: 4, retailPrice: 20 })], catalog, actual: [anAddition(21, 50, { quantity: 4, unitPrice: 42.5 })], ownership: [] });
      expect(unmapped.lines).toEqual([expect.objectContaining({ sku: 'A', additionId: null, connectwise: null, differs: true })]);
    });

    it('a bundle is one line (the sum of its SKUs); a SKU on hold is not billed; a line the platform no longer bills shows ConnectWise alone', () => {
      const out = reconcileAccount({
        desired: [aLine('A', { quantity: 2 }), aLine('B', { quantity: 3 }), aLine('C', { quantity: 1 })],
        catalog,
        actual: [anAddition(31, 60, { quantity: 5, unitPrice: 20 }), anAddition(32, 3, { quantity: 1, unitPrice: 20 })],
        ownership: [{ key: 'C', additionId: 32 }],
        billing: billing({
          products: [
            { sku: 'A', action: { kind: 'item', catalogItemId: 60 } },
            { sku: 'B', action: { kind: 'item', catalogItemId: 60 } },
            { sku: 'C', action: { kind: 'hold' } },
          ],
        }),
      });
      expect(out.lines.map((l) => [l.sku, l.additionId, l.platform?.quantity ?? null, l.connectwise?.quantity ?? null, l.differs])).toEqual([
        ['A + B', 31, 5, 5, false],
        ['C', 32, null, 1, true],
      ]);
    });

    it('monthly and annual terms of one SKU are separate lines', () => {
      const out = reconcileAccount({
        desired: [aLine('A', { quantity: 2 }), aLine('A', { quantity: 7, term: 'annual' })],
        catalog,
        actual: [anAddition(41, 1, { quantity: 2 })],
        ownership: [{ key: 'A', additionId: 41 }],
      });
      expect(out.lines.map((l) => [l.sku, l.additionId, l.platform?.quantity ?? null])).toEqual([
        ['A', 41, 2],
        ['A (annual)', null, 7],
      ]);
    });
  });
  it('the platform side is the plan: an included quantity or a status policy the run would write is a difference', () => {
    const included = reconcileAccount({
      desired: [aLine('A', { quantity: 10, retailPrice: 20 })],
      catalog,
      actual: [anAddition(11, 1)],
      ownership: [{ key: 'A', additionId: 11 }],
      billing: { ...DEFAULT_BILLING_CONTROL, account: { prices: [], exclusions: [], included: [{ sku: 'A', quantity: 2 }] } },
    });
    expect(included.lines).toEqual([expect.objectContaining({ sku: 'A', platform: { quantity: 10, price: 20 }, quantityDifference: 0, differs: true })]);
    const suspended = reconcileAccount({ desired: [aLine('A')], catalog, actual: [anAddition(11, 1)], ownership: [{ key: 'A', additionId: 11 }], accountStatus: 'suspended' });
    expect(suspended.lines).toEqual([expect.objectContaining({ sku: 'A', platform: null, connectwise: { quantity: 10, price: 20 }, differs: true })]);
  });
});
