/**
 * The dating step: effective dates of new lines, and how a quantity change lands on an agreement that prorates.
 * Applied to the reviewed plan's output, right before it is written.
 *
 * What ConnectWise does with these fields (sources and what is unverified: apps/connectwise-sim/README.md,
 * "Effective dates and proration"): an addition bills from its `effectiveDate` until its `cancelledDate`; on an
 * agreement with `prorateFlag` a line starting or ending inside a billing period is billed for its part of the
 * period, while a quantity patched in place is billed in full for the whole period.
 */
import { assemblePlan, toConnectWiseDateTime } from '../account-plan';
import type { AccountOperation, AccountPlan, ActualAddition, CreateAddition, RetireAddition, UpdateAddition } from '../account-types';
import type { NewLineStart, QuantityChangeMode } from './review-policy';

export interface DatingInput {
  plan: AccountPlan;
  actual: readonly ActualAddition[];
  policy: { newLineStart: NewLineStart; quantityChange: QuantityChangeMode };
  /** The agreement's `prorateFlag`. */
  agreementProrates: boolean;
  /** The run's calendar date, `YYYY-MM-DD`. */
  runDate: string;
  /** SKU → the day the platform's subscription started, when the platform says. */
  subscriptionStarts?: ReadonlyMap<string, string>;
  /** SKU → the day a change that waited was first seen (its change date, whenever it is approved). */
  firstSeen?: ReadonlyMap<string, string>;
  /** SKU → an effective date a person set on the change (adjusted in the queue). */
  effectiveDates?: ReadonlyMap<string, string>;
}

export function datePlan(input: DatingInput): AccountPlan {
  const { plan, policy } = input;
  const additions = new Map(input.actual.map((a) => [a.id, a]));
  const changeDate = (sku: string) => input.effectiveDates?.get(sku) ?? input.firstSeen?.get(sku) ?? input.runDate;
  const split = input.agreementProrates && policy.quantityChange === 'end-and-start';
  const operations: AccountOperation[] = [];
  for (const op of plan.operations) {
    if (op.kind === 'create') {
      const start =
        input.effectiveDates?.get(op.sku) ??
        (policy.newLineStart === 'subscription-start' ? input.subscriptionStarts?.get(op.sku) : undefined) ??
        input.firstSeen?.get(op.sku) ??
        input.runDate;
      operations.push({ ...op, effectiveDate: toConnectWiseDateTime(start) });
      continue;
    }
    const addition = op.kind === 'update' ? additions.get(op.additionId) : undefined;
    if (split && op.kind === 'update' && addition && !op.reactivates && op.changes.some((c) => c.field === 'quantity')) {
      operations.push(...endAndStart(op, addition, toConnectWiseDateTime(changeDate(op.sku))));
      continue;
    }
    if (op.kind === 'retire' && op.mode === 'cancel') {
      // A held cancellation approved later ends on the day it was seen (or the day a person set), not the approval day.
      const date = toConnectWiseDateTime(changeDate(op.sku));
      operations.push({ ...op, changes: op.changes.map((c) => (c.field === 'cancelledDate' ? { ...c, after: date } : c)) });
      continue;
    }
    operations.push(op);
  }
  return assemblePlan(operations, [...plan.skipped], [...plan.warnings], [...plan.unchanged], plan.lines);
}

/**
 * The line ends on the change date and a new one starts that day with the new quantity (and the new money,
 * or the old line's when it is not changing): retire first, so a crash in between leaves a cancelled line our
 * next run reactivates, never two live ones.
 */
function endAndStart(op: UpdateAddition, addition: ActualAddition, date: string): [RetireAddition, CreateAddition] {
  const after = (field: 'quantity' | 'unitCost' | 'unitPrice') => op.changes.find((c) => c.field === field)?.after;
  const money = (field: 'unitCost' | 'unitPrice') => {
    const changed = after(field);
    const value = changed === undefined ? addition[field] : changed;
    return value === null || value === undefined ? undefined : Number(value);
  };
  const unitCost = money('unitCost');
  const unitPrice = money('unitPrice');
  const create: CreateAddition = {
    kind: 'create',
    sku: op.sku,
    key: op.key,
    record: op.record,
    productId: addition.productId,
    quantity: Number(after('quantity')),
    ...(unitCost === undefined ? {} : { unitCost }),
    ...(unitPrice === undefined ? {} : { unitPrice }),
    ...(addition.lessIncluded ? { lessIncluded: addition.lessIncluded } : {}),
    ...(addition.invoiceDescription && op.key.endsWith(':annual') ? { invoiceDescription: addition.invoiceDescription } : {}),
    billCustomer: 'Billable',
    effectiveDate: date,
  };
  const retire: RetireAddition = {
    kind: 'retire',
    sku: op.sku,
    key: op.key,
    record: op.record,
    additionId: op.additionId,
    mode: 'cancel',
    changes: [{ field: 'cancelledDate', before: addition.cancelledDate ?? null, after: date }],
  };
  return [retire, create];
}
