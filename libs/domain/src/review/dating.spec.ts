import { planAccount, type PlanAccountInput } from '../account-plan';
import { aLine, anAddition, someSettings } from '../testing/builders';
import { datePlan, type DatingInput } from './dating';

const catalog = new Map([
  ['A', 1],
  ['B', 2],
]);
const base: PlanAccountInput = {
  desired: [aLine('A', { quantity: 12 }), aLine('B', { quantity: 3 })],
  catalog,
  actual: [anAddition(11, 1, { unitPrice: 20, unitCost: 12.5 })],
  ownership: [{ key: 'A', additionId: 11 }],
  settings: someSettings({ usersList: false }),
  runDate: '2026-12-15',
};
const plan = planAccount(base);
const dated = (overrides: Partial<DatingInput>) =>
  datePlan({ plan, actual: base.actual, policy: { newLineStart: 'subscription-start', quantityChange: 'in-place' }, agreementProrates: true, runDate: base.runDate, ...overrides });

describe('datePlan', () => {
  it('starts a new line on the subscription start day when the platform says, else on the day it was first seen, else the run day', () => {
    const create = (p: ReturnType<typeof datePlan>) => p.operations.find((op) => op.kind === 'create');
    expect(create(dated({ subscriptionStarts: new Map([['B', '2026-12-03']]) }))).toMatchObject({ effectiveDate: '2026-12-03T00:00:00Z' });
    expect(create(dated({ firstSeen: new Map([['B', '2026-12-10']]) }))).toMatchObject({ effectiveDate: '2026-12-10T00:00:00Z' });
    expect(create(dated({}))).toMatchObject({ effectiveDate: '2026-12-15T00:00:00Z' });
    const daySeen = dated({ policy: { newLineStart: 'day-seen', quantityChange: 'in-place' }, subscriptionStarts: new Map([['B', '2026-12-03']]), firstSeen: new Map([['B', '2026-12-10']]) });
    expect(create(daySeen)).toMatchObject({ effectiveDate: '2026-12-10T00:00:00Z' });
    expect(create(dated({ effectiveDates: new Map([['B', '2026-12-01']]), subscriptionStarts: new Map([['B', '2026-12-03']]) }))).toMatchObject({ effectiveDate: '2026-12-01T00:00:00Z' });
  });

  it('"in-place" keeps the quantity change a PATCH of the line', () => {
    expect(dated({}).operations.filter((op) => op.sku === 'A')).toEqual(plan.operations.filter((op) => op.sku === 'A'));
  });

  it('"end-and-start" on a prorating agreement cancels the line on the change date, then starts a new one that day with the same money', () => {
    const out = dated({ policy: { newLineStart: 'day-seen', quantityChange: 'end-and-start' }, firstSeen: new Map([['A', '2026-12-09']]) });
    expect(out.operations.filter((op) => op.sku === 'A')).toEqual([
      { kind: 'retire', sku: 'A', key: 'item:1:monthly', record: 'A', additionId: 11, mode: 'cancel', changes: [{ field: 'cancelledDate', before: null, after: '2026-12-09T00:00:00Z' }] },
      { kind: 'create', sku: 'A', key: 'item:1:monthly', record: 'A', productId: 1, quantity: 12, unitCost: 12.5, unitPrice: 20, billCustomer: 'Billable', effectiveDate: '2026-12-09T00:00:00Z' },
    ]);
    expect(out.writes).toBe(plan.writes + 1);
  });

  it('"end-and-start" is in place on an agreement that does not prorate, and for a line coming back', () => {
    const policy = { newLineStart: 'day-seen', quantityChange: 'end-and-start' } as const;
    expect(dated({ policy, agreementProrates: false }).operations).toEqual(dated({}).operations);
    const back = planAccount({ ...base, actual: [anAddition(11, 1, { cancelledDate: '2026-11-30T00:00:00Z' })] });
    const out = datePlan({ plan: back, actual: [anAddition(11, 1, { cancelledDate: '2026-11-30T00:00:00Z' })], policy, agreementProrates: true, runDate: base.runDate });
    expect(out.operations.find((op) => op.sku === 'A')).toMatchObject({ kind: 'update', reactivates: true });
  });

  it('a cancellation approved later ends on the day it was seen', () => {
    const settings = someSettings({ usersList: false, disappearedSku: { mode: 'cancel' } });
    const cancel = planAccount({ ...base, desired: [], settings });
    const out = datePlan({ plan: cancel, actual: base.actual, policy: { newLineStart: 'day-seen', quantityChange: 'in-place' }, agreementProrates: false, runDate: '2026-12-20', firstSeen: new Map([['A', '2026-12-15']]) });
    expect(out.operations).toEqual([{ kind: 'retire', sku: 'A', key: 'item:1:monthly', record: 'A', additionId: 11, mode: 'cancel', changes: [{ field: 'cancelledDate', before: null, after: '2026-12-15T00:00:00Z' }] }]);
  });
});
