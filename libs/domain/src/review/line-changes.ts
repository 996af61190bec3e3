/**
 * One SKU's write, seen as a reviewer sees it: the line's values before and after, the classes of change it
 * makes, the monthly amount it adds or removes, and a fingerprint of the value it would write.
 */
import type { AccountOperation, ActualAddition, AdditionField, FieldChange } from '../account-types';
import { moneyEquals } from '../money';
import { isCancelled } from '../ownership';
import type { ChangeClass } from './review-policy';

/** A line's billing values; null where ConnectWise holds none (or, for a new line, where we send none). */
export interface LineValues {
  quantity: number | null;
  unitPrice: number | null;
  unitCost: number | null;
  cancelled: boolean;
}

export type WriteOperation = Exclude<AccountOperation, { kind: 'adopt' }>;

export function valuesOf(addition: ActualAddition): LineValues {
  return {
    quantity: addition.quantity ?? null,
    unitPrice: addition.unitPrice ?? null,
    unitCost: addition.unitCost ?? null,
    cancelled: isCancelled(addition),
  };
}

/** The line's values once these field changes are written over `before`. */
export function valuesAfter(before: LineValues, changes: readonly FieldChange[]): LineValues {
  const after = { ...before };
  for (const change of changes) {
    if (change.field === 'cancelledDate') after.cancelled = change.after !== null;
    else if (change.field !== 'lessIncluded') after[change.field] = change.after === null ? null : Number(change.after);
  }
  return after;
}

export function createdValues(op: Extract<AccountOperation, { kind: 'create' }>): LineValues {
  return { quantity: op.quantity, unitPrice: op.unitPrice ?? null, unitCost: op.unitCost ?? null, cancelled: false };
}

/** What the line bills a month: quantity × unit price; 0 when cancelled; null when a price or quantity is unknown. */
export function monthlyAmount(values: LineValues | null): number | null {
  if (values === null || values.cancelled) return 0;
  if (values.quantity === null || values.unitPrice === null) return values.quantity === 0 ? 0 : null;
  return values.quantity * values.unitPrice;
}

/** After minus before, rounded to cents; null when either side is unknown. */
export function monthlyDelta(before: LineValues | null, after: LineValues): number | null {
  const a = monthlyAmount(after);
  // A line whose price we do not send keeps ConnectWise's: price the after-side with the before-side's price.
  const priced = a === null && before !== null && after.unitPrice === null ? monthlyAmount({ ...after, unitPrice: before.unitPrice }) : a;
  const b = monthlyAmount(before);
  if (priced === null || b === null) return null;
  return Math.round((priced - b) * 100) / 100;
}

/** Quantity or live/cancelled: the fields whose change is an increase, a decrease, a cancellation or a new line. */
const LINE_FIELDS: readonly AdditionField[] = ['cancelledDate', 'quantity'];

/**
 * The classes of one quantity/cancellation change of an existing line: a line cancelled or taken to 0 is a
 * cancellation, one brought back (reactivated) or raised is an increase, one lowered is a decrease.
 */
export function lineClass(before: LineValues, after: LineValues): ChangeClass | undefined {
  const live = (v: LineValues) => !v.cancelled && (v.quantity ?? 0) > 0;
  if (live(before) && !live(after)) return 'cancellation';
  if (!live(before) && live(after)) return 'increase';
  if (!live(before) && !live(after)) return undefined;
  const [b, a] = [before.quantity ?? 0, after.quantity ?? 0];
  if (a > b) return 'increase';
  if (a < b) return 'decrease';
  return undefined;
}

/** How big a unit price change is, in percent of the price before; Infinity from no price or from 0. */
export function priceChangePercent(before: number | null, after: number | null): number {
  if (moneyEquals(before, after)) return 0;
  if (before === null || after === null || before === 0) return Number.POSITIVE_INFINITY;
  return (Math.abs(after - before) / Math.abs(before)) * 100;
}

export function isLineField(field: AdditionField): boolean {
  return LINE_FIELDS.includes(field);
}

/**
 * A stable key for the value a held change would write: its kind and each changed field's new value (not the
 * value before, so a hand edit elsewhere on the line does not make a dismissed change come back). Two runs
 * that would write the same thing give the same fingerprint; a new platform value gives a new one.
 */
export function fingerprintOf(op: WriteOperation, changes: readonly FieldChange[]): string {
  if (op.kind === 'create') {
    return `create:quantity=${op.quantity};unitPrice=${op.unitPrice ?? ''};unitCost=${op.unitCost ?? ''}`;
  }
  const parts = [...changes]
    .sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0))
    .map((c) => `${c.field}=${c.field === 'cancelledDate' ? (c.after === null ? 'live' : 'cancelled') : String(c.after)}`);
  return `${op.kind === 'retire' ? `retire-${op.mode}` : 'update'}:${parts.join(';')}`;
}
