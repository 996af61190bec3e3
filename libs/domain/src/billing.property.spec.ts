/**
 * Properties of the plan with billing control on, over random controls changing from run to run: a mapping change,
 * a bundle gaining or losing a member, a price rule change, an exclusion added and removed, terms and included units.
 */
import fc from 'fast-check';
import type { ActualAddition, DesiredAddition, OwnershipRecord } from './account-types';
import { planAccount } from './account-plan';
import { type BillingControl, type BillingUser, type PriceRule, type ProductAction, parseLineKey } from './billing';
import { termOfAddition } from './ownership';
import type { ExportSettings } from './settings';
import { applyPlan, someSettings } from './testing/builders';

const SKUS = ['A', 'B', 'C', 'D'];
const catalog = new Map([
  ['A', 1],
  ['B', 2],
  ['C', 3],
  ['D', 4],
]);
/** The MSP's own items. */
const OWN_ITEMS = [90, 91];

const actionArb: fc.Arbitrary<ProductAction> = fc.oneof(
  fc.constant({ kind: 'create' as const }),
  fc.constantFrom(...OWN_ITEMS).map((catalogItemId) => ({ kind: 'item' as const, catalogItemId })),
  fc.constant({ kind: 'hold' as const }),
  fc.constant({ kind: 'do-not-bill' as const }),
);
const priceArb: fc.Arbitrary<PriceRule | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ kind: 'platform-retail' as const }),
  fc.constant({ kind: 'catalog' as const }),
  fc.record({ kind: fc.constant('markup' as const), percent: fc.constantFrom(0, 12.5, 33, 100), decimals: fc.constantFrom(0, 2, 4) }),
  fc.record({ kind: fc.constant('fixed' as const), amount: fc.constantFrom(0, 9.99, 17.5) }),
);
const controlArb: fc.Arbitrary<BillingControl> = fc.record({
  unmapped: fc.constantFrom('create' as const, 'hold' as const),
  products: fc.uniqueArray(
    fc.record({ sku: fc.constantFrom(...SKUS), term: fc.constantFrom(undefined, 'annual' as const), action: actionArb, price: priceArb }).map(({ price, term, ...m }) => ({
      ...m,
      ...(term ? { term } : {}),
      ...(price ? { price } : {}),
    })),
    { selector: (m) => `${m.sku}/${m.term ?? ''}`, maxLength: 5 },
  ),
  bundles: fc.uniqueArray(fc.record({ catalogItemId: fc.constantFrom(...OWN_ITEMS, 1), quantity: fc.constantFrom('sum' as const, 'distinct-users' as const) }), {
    selector: (b) => b.catalogItemId,
    maxLength: 3,
  }),
  account: fc.record({
    prices: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SKUS), price: priceArb.filter((p): p is PriceRule => p !== undefined) }), { selector: (p) => p.sku, maxLength: 2 }),
    exclusions: fc.uniqueArray(
      fc.oneof(
        fc.record({ sku: fc.constantFrom(...SKUS), reason: fc.constant('paid elsewhere') }),
        fc.record({ userId: fc.constantFrom('u1', 'u2', 'u3'), reason: fc.constant('paid elsewhere') }),
      ),
      { selector: (e) => ('sku' in e ? e.sku : e.userId), maxLength: 2 },
    ),
    included: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 0, max: 3 }) }), { selector: (i) => i.sku, maxLength: 2 }),
  }),
});
const desiredArb: fc.Arbitrary<DesiredAddition[]> = fc.uniqueArray(
  fc.record({
    sku: fc.constantFrom(...SKUS),
    term: fc.constantFrom('monthly' as const, 'annual' as const),
    quantity: fc.integer({ min: 0, max: 6 }),
    unitCost: fc.constantFrom(1, 12.5, 0.0443),
    retailPrice: fc.option(fc.constantFrom(2, 20, 0.0483), { nil: undefined }),
  }),
  { selector: (d) => `${d.sku}/${d.term}`, maxLength: 6 },
);
const usersArb: fc.Arbitrary<BillingUser[]> = fc.constant(['u1', 'u2', 'u3']).chain((ids) =>
  fc.tuple(...ids.map((id) => fc.subarray(SKUS).map((skus) => ({ id, skus })))),
);
/** Hand-made lines of the MSP: its own items and the SKUs' items, some cancelled. */
const handMadeArb: fc.Arbitrary<ActualAddition[]> = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 30 }),
    productId: fc.constantFrom(...OWN_ITEMS, 1, 2, 7),
    quantity: fc.integer({ min: 0, max: 5 }),
    unitCost: fc.constant(1),
    unitPrice: fc.constantFrom(5, 25),
    cancelledDate: fc.constantFrom(null, null, '2024-01-31T00:00:00Z'),
  }),
  { selector: (a) => a.id, maxLength: 5 },
);
const settingsArb: fc.Arbitrary<ExportSettings> = fc
  .record({ quantity: fc.boolean(), cost: fc.boolean(), retailPrice: fc.boolean(), mode: fc.constantFrom('zero' as const, 'cancel' as const), missing: fc.constantFrom('fail-line' as const, 'skip-price' as const) })
  .map((s) => someSettings({ quantity: s.quantity, cost: s.cost, retailPrice: s.retailPrice, disappearedSku: { mode: s.mode }, missingRetailPrice: s.missing }));

const scenarioArb = fc.record({
  handMade: handMadeArb,
  settings: settingsArb,
  users: usersArb,
  runs: fc.array(fc.record({ desired: desiredArb, control: controlArb }), { minLength: 2, maxLength: 3 }),
});

const RUNS = { numRuns: 600, seed: 20261205 };

describe('billing control properties (runs with the control changing between them)', () => {
  it('each run: writes only what it owns or adopts, deletes nothing, a second run writes nothing, at most one owned line per (item, term)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ handMade, settings, users, runs }) => {
        let actual: ActualAddition[] = handMade;
        let ownership: OwnershipRecord[] = [];
        for (const { desired, control } of runs) {
          const input = { desired, catalog, actual, ownership, settings, runDate: '2024-06-30', billing: control, users };
          const plan = planAccount(input);
          const ours = new Set([...ownership.map((o) => o.additionId), ...plan.operations.flatMap((op) => (op.kind === 'adopt' ? [op.additionId] : []))]);
          for (const op of plan.operations) {
            if ((op.kind === 'update' || op.kind === 'retire') && !ours.has(op.additionId)) return false;
            if (!parseLineKey(op.key) && op.kind !== 'retire') return false;
          }
          // A create never lands beside a line of the same (product, term) on the agreement.
          for (const op of plan.operations) {
            if (op.kind !== 'create') continue;
            const key = parseLineKey(op.key)!;
            if (actual.some((a) => a.productId === op.productId && termOfAddition(a) === key.term)) return false;
          }
          const after = applyPlan(actual, ownership, plan);
          if (after.actual.length < actual.length) return false; // nothing deleted
          const second = planAccount({ ...input, ...after });
          if (second.writes !== 0 || second.operations.length !== 0) return false;
          // One line per (item, term): no two records on one addition, no two live additions of a key.
          const byAddition = new Set(after.ownership.map((o) => o.additionId));
          if (byAddition.size !== after.ownership.length) return false;
          actual = after.actual;
          ownership = after.ownership;
        }
        return true;
      }),
      RUNS,
    );
  });

  it('writes a price only where a rule says so: an explicit rule, or retail price export on', () => {
    fc.assert(
      fc.property(scenarioArb, ({ handMade, settings, users, runs }) => {
        const { desired, control } = runs[0];
        const plan = planAccount({ desired, catalog, actual: handMade, ownership: [], settings, runDate: '2024-06-30', billing: control, users });
        const explicit = control.products.some((m) => m.price && m.price.kind !== 'catalog') || control.account.prices.some((p) => p.price.kind !== 'catalog');
        const priced = plan.operations.some((op) => (op.kind === 'create' && op.unitPrice !== undefined) || (op.kind === 'update' && op.changes.some((c) => c.field === 'unitPrice')));
        return !priced || settings.retailPrice || explicit;
      }),
      RUNS,
    );
  });

  it('monthly and annual lines are never summed: each line holds one term', () => {
    fc.assert(
      fc.property(scenarioArb, ({ settings, users, runs }) => {
        const { desired, control } = runs[0];
        const plan = planAccount({ desired, catalog, actual: [], ownership: [], settings, runDate: '2024-06-30', billing: control, users });
        return plan.lines.every((line) => parseLineKey(line.key)?.term === line.term) && new Set(plan.lines.map((l) => l.key)).size === plan.lines.length;
      }),
      RUNS,
    );
  });

  it('gives the same plan whatever order the inputs arrive in', () => {
    fc.assert(
      fc.property(scenarioArb, ({ handMade, settings, users, runs }) => {
        const { desired, control } = runs[0];
        const input = { desired, catalog, actual: handMade, ownership: [], settings, runDate: '2024-06-30', billing: control, users };
        const reversed = { ...input, desired: [...desired].reverse(), actual: [...handMade].reverse(), users: [...users].reverse() };
        expect(planAccount(reversed)).toEqual(planAccount(input));
      }),
      RUNS,
    );
  });
});
