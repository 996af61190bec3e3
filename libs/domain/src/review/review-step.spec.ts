import { planAccount, type PlanAccountInput } from '../account-plan';
import type { ActualAddition, DesiredAddition } from '../account-types';
import { aLine, anAddition, someSettings } from '../testing/builders';
import type { WrittenLine } from './edited-lines';
import { EVERYTHING_WAITS_POLICY, NOTHING_WAITS_POLICY, RECOMMENDED_REVIEW_POLICY, type ReviewPolicy, reviewPolicyProblem } from './review-policy';
import { type ReviewDecision, reviewPlan } from './review-step';

const catalog = new Map([
  ['A', 1],
  ['B', 2],
]);

/** Account with SKU A on addition 11 (10 × 20.00, cost 12.5), owned. */
function input(desired: DesiredAddition[], actual: ActualAddition[] = [anAddition(11, 1)]): PlanAccountInput {
  return {
    desired,
    catalog,
    actual,
    ownership: actual.filter((a) => a.id === 11).map(() => ({ key: 'A', additionId: 11 })),
    settings: someSettings({ usersList: false }),
    runDate: '2026-12-05',
  };
}

function review(planInput: PlanAccountInput, policy: ReviewPolicy, decisions: ReviewDecision[] = [], written: WrittenLine[] = [], approvedOnly = false) {
  const plan = planAccount(planInput);
  return reviewPlan({ plan, actual: planInput.actual, ownership: planInput.ownership, settings: planInput.settings, policy, decisions, written, approvedOnly });
}

/** One change of each class on SKU A (B for the new line). */
const CASES: { name: string; desired: DesiredAddition[]; classes: string[]; amount: number | null }[] = [
  { name: 'new line', desired: [aLine('A'), aLine('B', { quantity: 3, retailPrice: 5 })], classes: ['new-line'], amount: 15 },
  { name: 'increase', desired: [aLine('A', { quantity: 12 })], classes: ['increase'], amount: 40 },
  { name: 'decrease', desired: [aLine('A', { quantity: 7 })], classes: ['decrease'], amount: -60 },
  { name: 'cancellation', desired: [], classes: ['cancellation'], amount: -200 },
  { name: 'price change over 5 %', desired: [aLine('A', { retailPrice: 22 })], classes: ['price-change'], amount: 20 },
];

describe('reviewPlan: each class under each policy', () => {
  const table: [string, ReviewPolicy, Record<string, 'held' | 'applied'>][] = [
    ['recommended', RECOMMENDED_REVIEW_POLICY, { 'new line': 'applied', increase: 'applied', decrease: 'held', cancellation: 'held', 'price change over 5 %': 'held' }],
    ['nothing waits', NOTHING_WAITS_POLICY, { 'new line': 'applied', increase: 'applied', decrease: 'applied', cancellation: 'applied', 'price change over 5 %': 'applied' }],
    ['everything waits', EVERYTHING_WAITS_POLICY, { 'new line': 'held', increase: 'held', decrease: 'held', cancellation: 'held', 'price change over 5 %': 'held' }],
  ];
  for (const [policyName, policy, expected] of table) {
    for (const c of CASES) {
      it(`${policyName}: ${c.name} is ${expected[c.name]}`, () => {
        const planned = planAccount(input(c.desired));
        expect(planned.writes).toBe(1);
        const out = review(input(c.desired), policy);
        if (expected[c.name] === 'held') {
          expect(out.plan.writes).toBe(0);
          expect(out.pending).toHaveLength(1);
          expect(out.pending[0].classes).toEqual(c.classes);
          expect(out.pending[0].monthlyAmount).toBe(c.amount);
          expect(out.pending[0].operations).toEqual(planned.operations.filter((op) => op.kind !== 'adopt'));
        } else {
          expect(out.pending).toEqual([]);
          expect(out.plan.operations).toEqual(planned.operations);
        }
      });
    }
  }

  it('lets a price change of at most N % through and holds a larger one; N = 0 holds every price change', () => {
    const small = { ...RECOMMENDED_REVIEW_POLICY, priceThresholdPercent: 10 };
    expect(review(input([aLine('A', { retailPrice: 22 })]), small).plan.writes).toBe(1); // +10 %
    expect(review(input([aLine('A', { retailPrice: 22.01 })]), small).pending).toHaveLength(1); // +10.05 %
    expect(review(input([aLine('A', { retailPrice: 18 })]), small).plan.writes).toBe(1); // −10 %
    expect(review(input([aLine('A', { retailPrice: 20.0001 })]), { ...small, priceThresholdPercent: 0 }).pending).toHaveLength(1);
  });

  it('never holds a unit cost change, and cuts a write in two: the increase goes, the price change waits', () => {
    const out = review(input([aLine('A', { quantity: 12, retailPrice: 30, unitCost: 13 })]), RECOMMENDED_REVIEW_POLICY);
    expect(out.plan.operations).toEqual([
      {
        kind: 'update',
        sku: 'A', key: 'item:1:monthly', record: 'A',
        additionId: 11,
        reactivates: false,
        changes: [
          { field: 'quantity', before: 10, after: 12 },
          { field: 'unitCost', before: 12.5, after: 13 },
        ],
      },
    ]);
    expect(out.pending).toHaveLength(1);
    expect(out.pending[0]).toMatchObject({ classes: ['price-change'], before: { quantity: 10, unitPrice: 20 }, after: { quantity: 10, unitPrice: 30 }, monthlyAmount: 100 });
  });

  it('a waiting change blocks nothing else on the account', () => {
    const out = review(input([aLine('A', { quantity: 7 }), aLine('B', { quantity: 2 })]), RECOMMENDED_REVIEW_POLICY);
    expect(out.plan.operations.map((op) => `${op.kind}:${op.sku}`)).toEqual(['create:B']);
    expect(out.pending.map((p) => p.sku)).toEqual(['A']);
    expect(out.plan.unchanged).toEqual([]);
  });

  it('a retired line coming back is an increase', () => {
    const out = review(input([aLine('A')], [anAddition(11, 1, { quantity: 0 })]), { ...NOTHING_WAITS_POLICY, rules: { ...NOTHING_WAITS_POLICY.rules, increase: 'review' } });
    expect(out.pending[0]?.classes).toEqual(['increase']);
    const cancelled = review(input([aLine('A')], [anAddition(11, 1, { cancelledDate: '2026-11-30T00:00:00Z' })]), RECOMMENDED_REVIEW_POLICY);
    expect(cancelled.plan.writes).toBe(1);
  });
});

describe('reviewPlan: decisions', () => {
  const decrease = input([aLine('A', { quantity: 7 })]);
  const fingerprint = review(decrease, RECOMMENDED_REVIEW_POLICY).pending[0].fingerprint;

  it('an approved change goes through, and keeps going on later runs while the platform value is the same', () => {
    const out = review(decrease, RECOMMENDED_REVIEW_POLICY, [{ sku: 'A', fingerprint, status: 'approved' }]);
    expect(out.pending).toEqual([]);
    expect(out.approved.map((c) => c.sku)).toEqual(['A']);
    expect(out.plan.operations).toEqual(planAccount(decrease).operations);
  });

  it('an adjusted change writes the adjusted quantity, and once written the plan is quiet', () => {
    const decisions: ReviewDecision[] = [{ sku: 'A', fingerprint, status: 'approved', quantity: 8, effectiveDate: '2026-12-01' }];
    const out = review(decrease, RECOMMENDED_REVIEW_POLICY, decisions);
    expect(out.plan.operations).toEqual([{ kind: 'update', sku: 'A', key: 'item:1:monthly', record: 'A', additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 8 }] }]);
    expect(out.effectiveDates.get('A')).toBe('2026-12-01');
    const afterWrite = input([aLine('A', { quantity: 7 })], [anAddition(11, 1, { quantity: 8 })]);
    const second = review(afterWrite, RECOMMENDED_REVIEW_POLICY, decisions);
    expect(second.plan.writes).toBe(0);
    expect(second.pending).toEqual([]);
  });

  it('an adjusted cancellation keeps the line at the adjusted quantity', () => {
    const cancel = input([]);
    const fp = review(cancel, RECOMMENDED_REVIEW_POLICY).pending[0].fingerprint;
    const out = review(cancel, RECOMMENDED_REVIEW_POLICY, [{ sku: 'A', fingerprint: fp, status: 'approved', quantity: 4 }]);
    expect(out.plan.operations).toEqual([{ kind: 'update', sku: 'A', key: 'item:1:monthly', record: 'A', additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 4 }] }]);
  });

  it('a dismissed change stays out of the queue until the platform value changes again', () => {
    const decisions: ReviewDecision[] = [{ sku: 'A', fingerprint, status: 'dismissed' }];
    const out = review(decrease, RECOMMENDED_REVIEW_POLICY, decisions);
    expect(out.plan.writes).toBe(0);
    expect(out.pending).toEqual([]);
    expect(out.dismissed.map((c) => c.sku)).toEqual(['A']);
    const changedAgain = review(input([aLine('A', { quantity: 6 })]), RECOMMENDED_REVIEW_POLICY, decisions);
    expect(changedAgain.pending).toHaveLength(1);
    expect(changedAgain.pending[0].after.quantity).toBe(6);
    expect(changedAgain.pending[0].fingerprint).not.toBe(fingerprint);
  });

  it('a run of approved changes writes only those', () => {
    const both = input([aLine('A', { quantity: 7 }), aLine('B', { quantity: 2 })]);
    const out = review(both, RECOMMENDED_REVIEW_POLICY, [{ sku: 'A', fingerprint, status: 'approved' }], [], true);
    expect(out.plan.operations.map((op) => `${op.kind}:${op.sku}`)).toEqual(['update:A']);
    const none = review(both, RECOMMENDED_REVIEW_POLICY, [], [], true);
    expect(none.plan.writes).toBe(0);
  });

  it('a run of approved changes still adopts: a line created before a crash lost its ownership record is claimed again', () => {
    // Addition 12 holds B's product, unowned (the create landed, the record did not): the plan adopts it.
    const crashed = input([aLine('A'), aLine('B', { quantity: 2 })], [anAddition(11, 1), anAddition(12, 2, { quantity: 2 })]);
    expect(planAccount(crashed).operations.map((op) => `${op.kind}:${op.sku}`)).toContain('adopt:B');
    const out = review(crashed, EVERYTHING_WAITS_POLICY, [], [], true);
    expect(out.plan.operations.map((op) => `${op.kind}:${op.sku}`)).toEqual(['adopt:B']);
    expect(out.plan.writes).toBe(0);
  });

  it('a cancelled-date change keeps its fingerprint from one day to the next', () => {
    const settings = someSettings({ usersList: false, disappearedSku: { mode: 'cancel' } });
    const today = planAccount({ ...input([]), settings });
    const tomorrow = planAccount({ ...input([]), settings, runDate: '2026-12-06' });
    const fp = (plan: typeof today) => reviewPlan({ plan, actual: [anAddition(11, 1)], ownership: [{ key: 'A', additionId: 11 }], settings, policy: RECOMMENDED_REVIEW_POLICY }).pending[0].fingerprint;
    expect(fp(today)).toBe(fp(tomorrow));
  });
});

describe('reviewPlan: edits made in ConnectWise', () => {
  const written: WrittenLine[] = [{ additionId: 11, quantity: 10, unitPrice: 20, unitCost: 12.5, cancelledDate: null }];
  const handEdited = input([aLine('A', { quantity: 12 })], [anAddition(11, 1, { quantity: 9 })]);

  it('reports the edit with both values; "overwrite" writes ours over it', () => {
    const out = review(handEdited, { ...RECOMMENDED_REVIEW_POLICY, editedLines: 'overwrite' }, [], written);
    expect(out.edited).toEqual([{ sku: 'A', additionId: 11, fields: [{ field: 'quantity', ours: 10, theirs: 9 }] }]);
    expect(out.plan.operations).toEqual([{ kind: 'update', sku: 'A', key: 'item:1:monthly', record: 'A', additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 9, after: 12 }] }]);
  });

  it('"keep" leaves their edit and queues our change, even one the policy would apply', () => {
    const out = review(handEdited, { ...RECOMMENDED_REVIEW_POLICY, editedLines: 'keep' }, [], written);
    expect(out.plan.writes).toBe(0);
    expect(out.pending).toMatchObject([{ sku: 'A', reason: 'edited-in-connectwise', before: { quantity: 9 }, after: { quantity: 12 } }]);
  });

  it('does not judge fields the partner does not export, nor lines without a record', () => {
    const priceEdit = input([aLine('A')], [anAddition(11, 1, { unitPrice: 25 })]);
    const noPrices = { ...priceEdit, settings: someSettings({ usersList: false, retailPrice: false }) };
    expect(review(noPrices, RECOMMENDED_REVIEW_POLICY, [], written).edited).toEqual([]);
    expect(review(priceEdit, RECOMMENDED_REVIEW_POLICY, [], written).edited).toHaveLength(1);
    expect(review(handEdited, RECOMMENDED_REVIEW_POLICY, [], []).edited).toEqual([]);
  });
});

describe('reviewPolicyProblem', () => {
  it('accepts the presets and refuses a bad rule or threshold', () => {
    expect(reviewPolicyProblem(RECOMMENDED_REVIEW_POLICY)).toBeUndefined();
    expect(reviewPolicyProblem(EVERYTHING_WAITS_POLICY)).toBeUndefined();
    expect(reviewPolicyProblem({ ...RECOMMENDED_REVIEW_POLICY, priceThresholdPercent: -1 })).toMatch(/priceThresholdPercent/);
    expect(reviewPolicyProblem({ ...RECOMMENDED_REVIEW_POLICY, rules: { ...RECOMMENDED_REVIEW_POLICY.rules, decrease: 'later' as never } })).toMatch(/decrease/);
  });
});
