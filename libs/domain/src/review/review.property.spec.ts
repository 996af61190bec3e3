/**
 * Properties of the review step over random plans, policies and decisions.
 */
import fc from 'fast-check';
import { planAccount } from '../account-plan';
import type { ActualAddition, DesiredAddition } from '../account-types';
import { applyPlan, someSettings } from '../testing/builders';
import { CHANGE_CLASSES, type ReviewPolicy } from './review-policy';
import { type ReviewDecision, reviewPlan } from './review-step';

const catalog = new Map([
  ['A', 1],
  ['B', 2],
  ['C', 3],
]);
const RUNS = { numRuns: 300 };
const money = fc.constantFrom(1, 9.99, 20, 21, 30);
const desiredArb: fc.Arbitrary<DesiredAddition[]> = fc.uniqueArray(
  fc.record({ sku: fc.constantFrom('A', 'B', 'C'), quantity: fc.integer({ min: 0, max: 5 }), unitCost: money, retailPrice: money }),
  { selector: (l) => l.sku, maxLength: 3 },
);
const actualArb: fc.Arbitrary<ActualAddition[]> = fc.uniqueArray(
  fc.record({
    id: fc.integer({ min: 1, max: 3 }),
    productId: fc.integer({ min: 1, max: 3 }),
    quantity: fc.integer({ min: 0, max: 5 }),
    unitCost: money,
    unitPrice: money,
    cancelledDate: fc.constantFrom(null, '2026-11-30T00:00:00Z'),
  }),
  { selector: (a) => a.productId, maxLength: 3 },
);
const policyArb: fc.Arbitrary<ReviewPolicy> = fc.record({
  rules: fc.record(Object.fromEntries(CHANGE_CLASSES.map((c) => [c, fc.constantFrom('apply' as const, 'review' as const)])) as never),
  priceThresholdPercent: fc.constantFrom(0, 5, 50),
  editedLines: fc.constantFrom('overwrite' as const, 'keep' as const),
  quantityChange: fc.constant('in-place' as const),
  newLineStart: fc.constant('day-seen' as const),
});
const caseArb = fc.record({ desired: desiredArb, actual: actualArb, policy: policyArb });

function setup({ desired, actual }: { desired: DesiredAddition[]; actual: ActualAddition[] }) {
  const ownership = actual.map((a) => ({ key: ['A', 'B', 'C'][a.productId - 1], additionId: a.id }));
  const planInput = { desired, catalog, actual, ownership, settings: someSettings({ usersList: false }), runDate: '2026-12-05' };
  return { planInput, plan: planAccount(planInput) };
}

describe('reviewPlan properties', () => {
  it('every planned write either goes now or waits, never both, never lost; approving everything gives the plan back', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { planInput, plan } = setup(c);
        const out = reviewPlan({ plan, actual: c.actual, ownership: planInput.ownership, settings: planInput.settings, policy: c.policy });
        const going = new Set(out.plan.operations.filter((op) => op.kind !== 'adopt').map((op) => op.sku));
        const waiting = out.pending.map((p) => p.sku);
        for (const op of plan.operations) if (op.kind !== 'adopt' && !going.has(op.sku) && !waiting.includes(op.sku)) return false;
        const approveAll: ReviewDecision[] = out.pending.map((p) => ({ sku: p.sku, fingerprint: p.fingerprint, status: 'approved' }));
        const approved = reviewPlan({ plan, actual: c.actual, ownership: planInput.ownership, settings: planInput.settings, policy: c.policy, decisions: approveAll });
        expect(approved.pending).toEqual([]);
        expect(approved.plan.writes).toBe(plan.writes);
        expect(applyPlan(c.actual, planInput.ownership, approved.plan).actual).toEqual(applyPlan(c.actual, planInput.ownership, plan).actual);
        return true;
      }),
      RUNS,
    );
  });

  it('what goes now, once written, leaves exactly the waiting changes (a held change is not lost and nothing is written twice)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { planInput } = setup(c);
        const review = (actual: ActualAddition[], ownership = planInput.ownership) =>
          reviewPlan({ plan: planAccount({ ...planInput, actual, ownership }), actual, ownership, settings: planInput.settings, policy: c.policy });
        const first = review(c.actual);
        const after = applyPlan(c.actual, planInput.ownership, first.plan);
        const second = review(after.actual, after.ownership);
        expect(second.plan.writes).toBe(0);
        expect(second.pending.map((p) => p.fingerprint)).toEqual(first.pending.map((p) => p.fingerprint));
      }),
      RUNS,
    );
  });

  it('dismissing every waiting change empties the queue and writes nothing more', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { planInput, plan } = setup(c);
        const first = reviewPlan({ plan, actual: c.actual, ownership: planInput.ownership, settings: planInput.settings, policy: c.policy });
        const decisions: ReviewDecision[] = first.pending.map((p) => ({ sku: p.sku, fingerprint: p.fingerprint, status: 'dismissed' }));
        const again = reviewPlan({ plan, actual: c.actual, ownership: planInput.ownership, settings: planInput.settings, policy: c.policy, decisions });
        return again.pending.length === 0 && again.plan.writes === first.plan.writes;
      }),
      RUNS,
    );
  });
});
