/**
 * Properties of planAccount over random agreements, ownership records, desired lines and settings.
 */
import fc from 'fast-check';
import type { ActualAddition, DesiredAddition, OwnershipRecord } from './account-types';
import { planAccount, type PlanAccountInput } from './account-plan';
import type { ExportSettings } from './settings';
import { applyPlan } from './testing/builders';

const SKUS = ['A', 'B', 'C', 'D', 'E', 'NO-ITEM'];
/** Product 6 and 7 belong to no SKU: manual lines. */
const catalog = new Map([
  ['A', 1],
  ['B', 2],
  ['C', 3],
  ['D', 4],
  ['E', 5],
]);

const money = fc.constantFrom(0, 0.0443, 0.0483, 1, 9.99, 12.5, 12.5001, 12.504, 12.51, 20);
const settingsArb: fc.Arbitrary<ExportSettings> = fc.record({
  products: fc.boolean(),
  quantity: fc.boolean(),
  cost: fc.boolean(),
  retailPrice: fc.boolean(),
  usersList: fc.boolean(),
  disappearedSku: fc.constantFrom({ mode: 'zero' as const }, { mode: 'cancel' as const }),
  missingRetailPrice: fc.constantFrom('fail-line' as const, 'skip-price' as const),
  suspendedAccounts: fc.constantFrom('bill' as const, 'zero' as const, 'cancel' as const),
  cancelledAccounts: fc.constantFrom('bill' as const, 'zero' as const, 'cancel' as const),
});
const statusArb = fc.constantFrom('active' as const, 'active' as const, 'suspended' as const, 'cancelled' as const);
const additionsArb: fc.Arbitrary<ActualAddition[]> = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 40 }),
    productId: fc.integer({ min: 1, max: 7 }),
    quantity: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
    unitCost: fc.option(money, { nil: null }),
    unitPrice: fc.option(money, { nil: null }),
    cancelledDate: fc.constantFrom(null, '2024-01-31T00:00:00Z'),
  }),
  { selector: (a) => a.id, maxLength: 10 },
);
const desiredArb: fc.Arbitrary<DesiredAddition[]> = fc.array(
  fc.record({
    sku: fc.constantFrom(...SKUS),
    quantity: fc.integer({ min: 0, max: 5 }),
    unitCost: money,
    retailPrice: fc.option(money, { nil: undefined }),
  }),
  { maxLength: 7 },
);
const inputArb: fc.Arbitrary<PlanAccountInput> = fc
  .record({ actual: additionsArb, desired: desiredArb, settings: settingsArb, accountStatus: statusArb })
  .chain(({ actual, desired, settings, accountStatus }) =>
    fc
      // One record per SKU, as the store keys them; the addition may be gone (98, 99) or hold another product.
      .uniqueArray(
        fc.record({ key: fc.constantFrom(...SKUS), additionId: fc.oneof(fc.constantFrom(...actual.map((a) => a.id), 99), fc.constant(98)) }),
        { selector: (o) => o.key, maxLength: 6 },
      )
      .map((ownership: OwnershipRecord[]) => ({ desired, actual, ownership, settings, catalog, runDate: '2024-06-30', accountStatus })),
  );

const RUNS = { numRuns: 1500, seed: 20240630 };

describe('planAccount properties', () => {
  it('writes only to additions it owns or adopts', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planAccount(input);
        const ours = new Set([...input.ownership.map((o) => o.additionId), ...plan.operations.flatMap((op) => (op.kind === 'adopt' ? [op.additionId] : []))]);
        return plan.operations.every((op) => (op.kind === 'update' || op.kind === 'retire' ? ours.has(op.additionId) : true));
      }),
      RUNS,
    );
  });

  it('makes at most one write per addition, and at most one operation of each kind per SKU', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planAccount(input);
        const written = plan.operations.flatMap((op) => (op.kind === 'update' || op.kind === 'retire' ? [op.additionId] : []));
        const kinds = plan.operations.map((op) => `${op.kind}:${op.key}`);
        const adopted = plan.operations.flatMap((op) => (op.kind === 'adopt' ? [op.additionId] : []));
        return new Set(written).size === written.length && new Set(kinds).size === kinds.length && new Set(adopted).size === adopted.length;
      }),
      RUNS,
    );
  });

  it('never creates an addition for a product already on the agreement, nor two for one product', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const onAgreement = new Set(input.actual.map((a) => a.productId));
        const created = planAccount(input).operations.flatMap((op) => (op.kind === 'create' ? [op.productId] : []));
        return created.every((p) => !onAgreement.has(p)) && new Set(created).size === created.length;
      }),
      RUNS,
    );
  });

  it('writes cost and price only when enabled, and never deletes or re-points anything', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const fields = planAccount(input).operations.flatMap((op) => (op.kind === 'update' || op.kind === 'retire' ? op.changes.map((c) => c.field) : []));
        return (
          (input.settings.cost || !fields.includes('unitCost')) &&
          (input.settings.retailPrice || !fields.includes('unitPrice')) &&
          fields.every((f) => ['cancelledDate', 'quantity', 'unitCost', 'unitPrice'].includes(f))
        );
      }),
      RUNS,
    );
  });

  it('makes zero writes and adopts nothing when run again after its plan was applied', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const after = applyPlan(input.actual, input.ownership, planAccount(input));
        const second = planAccount({ ...input, ...after });
        return second.writes === 0 && second.operations.length === 0;
      }),
      RUNS,
    );
  });

  it('gives the same plan whatever order the inputs arrive in', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, salt) => {
        const shuffle = <T>(items: readonly T[]) => [...items].map((item, i) => ({ item, key: (i * 7919 + salt) % 104729 })).sort((a, b) => a.key - b.key).map((x) => x.item);
        const shuffled = { ...input, actual: shuffle(input.actual), desired: shuffle(input.desired), ownership: shuffle(input.ownership) };
        expect(planAccount(shuffled)).toEqual(planAccount(input));
      }),
      RUNS,
    );
  });

  it('counts its writes and says unchanged exactly when there are none', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planAccount(input);
        const writes = plan.operations.filter((op) => op.kind !== 'adopt').length;
        return plan.writes === writes && (plan.summary.status === 'unchanged') === (writes === 0);
      }),
      RUNS,
    );
  });
});
