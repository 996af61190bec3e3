/**
 * The money rule over generated amounts, for both plans that write money: an amount is written exactly when
 * it differs from ConnectWise's at the precision we send (four decimals), and never again on the next run.
 */
import fc from 'fast-check';
import { planAccount } from './account-plan';
import { planCatalog } from './catalog-plan';
import { MONEY_DECIMALS, normalizeMoney } from './money';
import { aLine, anAddition, applyPlan, someSettings } from './testing/builders';

/** Prices as platforms publish them: whole ten-thousandths up to 10,000, plus arbitrary doubles (float noise, fifth decimals). */
const amount = fc.oneof(
  fc.integer({ min: 0, max: 100_000_000 }).map((n) => n / 10 ** MONEY_DECIMALS),
  fc.double({ min: 0, max: 10_000, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.0443, 0.0483, 0.0516, 0.0566, 12.345, 0.1 + 0.2),
);
/** Quantities, fractional ones included (114.5 GB). */
const quantity = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 20_000 }).map((n) => n / 10));
const RUNS = { numRuns: 3000, seed: 20261204 };
const atPrecision = (n: number) => normalizeMoney(n);

describe('money at the precision we send', () => {
  it('account: writes unit cost and price exactly when they differ at four decimals, and nothing on a second run', () => {
    fc.assert(
      fc.property(amount, amount, amount, amount, quantity, (storedCost, storedPrice, cost, price, qty) => {
        const input = {
          desired: [aLine('SKU', { quantity: qty, unitCost: cost, retailPrice: price })],
          actual: [anAddition(11, 501, { quantity: qty, unitCost: storedCost, unitPrice: storedPrice })],
          ownership: [{ key: 'SKU', additionId: 11 }],
          catalog: new Map([['SKU', 501]]),
          settings: someSettings(),
          runDate: '2026-12-04',
        };
        const plan = planAccount(input);
        const fields = plan.operations.flatMap((op) => (op.kind === 'update' ? op.changes.map((c) => c.field) : []));
        expect(fields.includes('unitCost')).toBe(atPrecision(storedCost) !== atPrecision(cost));
        expect(fields.includes('unitPrice')).toBe(atPrecision(storedPrice) !== atPrecision(price));
        const second = planAccount({ ...input, ...applyPlan(input.actual, input.ownership, plan) });
        expect(second.writes).toBe(0);
      }),
      RUNS,
    );
  });

  it('account: a created addition carries the amounts at four decimals and is left alone by the next run', () => {
    fc.assert(
      fc.property(amount, amount, quantity, (cost, price, qty) => {
        const input = {
          desired: [aLine('SKU', { quantity: qty, unitCost: cost, retailPrice: price })],
          actual: [],
          ownership: [],
          catalog: new Map([['SKU', 501]]),
          settings: someSettings(),
          runDate: '2026-12-04',
        };
        const plan = planAccount(input);
        expect(plan.operations).toEqual([expect.objectContaining({ kind: 'create', unitCost: atPrecision(cost), unitPrice: atPrecision(price) })]);
        expect(planAccount({ ...input, ...applyPlan(input.actual, input.ownership, plan) }).writes).toBe(0);
      }),
      RUNS,
    );
  });

  it('catalog: patches cost and price exactly when they differ at four decimals, and nothing on a second run', () => {
    fc.assert(
      fc.property(amount, amount, amount, amount, (storedCost, storedPrice, cost, price) => {
        const product = { sku: 'SKU', description: 'Storage per GB', cost, price };
        const existing = { id: 7, identifier: 'SKU', description: 'Storage per GB', cost: storedCost, price: storedPrice };
        const plan = planCatalog({ skus: [product], existing: [existing], settings: someSettings() });
        const [decision] = plan.decisions;
        const fields = decision?.kind === 'patch' ? decision.changes.map((c) => c.field) : [];
        expect(fields.includes('cost')).toBe(atPrecision(storedCost) !== atPrecision(cost));
        expect(fields.includes('price')).toBe(atPrecision(storedPrice) !== atPrecision(price));

        const written = { ...existing };
        if (decision?.kind === 'patch') for (const change of decision.changes) written[change.field] = change.after;
        expect(planCatalog({ skus: [product], existing: [written], settings: someSettings() }).writes).toBe(0);
      }),
      RUNS,
    );
  });
});
