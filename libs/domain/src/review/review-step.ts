/**
 * The review step: the plan's writes sorted into what goes to ConnectWise now and what waits for a person,
 * by the partner's policy and the decisions already made. Applied to the plan's output; the plan stays as it is.
 *
 * Per SKU, the write is cut in two parts: the line part (new line, quantity, cancelled or live) and the price
 * part (unit price). Each part has its class; a part whose class waits is held, the other part goes. Unit cost
 * is what the partner pays, not what the customer is billed: it never waits. A held part blocks nothing else,
 * on the account or on the line. A hand edit in ConnectWise, with `editedLines: keep`, holds the SKU's whole write.
 *
 * A decision is about one held change, identified by SKU and fingerprint (the value it would write): approved
 * (possibly adjusted: quantity, effective date) lets it through on every run while the platform's value stays
 * the same; dismissed keeps it out of the queue until that value changes.
 */
import { assemblePlan } from '../account-plan';
import type { AccountOperation, AccountPlan, ActualAddition, FieldChange, OwnershipRecord } from '../account-types';
import { compareText } from '../collections';
import type { ExportSettings } from '../settings';
import { detectEditedLines, type EditedLine, managedFields, type WrittenLine } from './edited-lines';
import {
  createdValues,
  fingerprintOf,
  isLineField,
  lineClass,
  type LineValues,
  monthlyDelta,
  priceChangePercent,
  valuesAfter,
  valuesOf,
  type WriteOperation,
} from './line-changes';
import type { ChangeClass, ReviewPolicy } from './review-policy';

export type DecisionStatus = 'approved' | 'dismissed';

/** A person's decision on a held change, as the plan needs it. */
export interface ReviewDecision {
  sku: string;
  fingerprint: string;
  status: DecisionStatus;
  /** Adjusted quantity: written instead of the platform's. */
  quantity?: number;
  /** Adjusted effective date (`YYYY-MM-DD`) of a new line, or of the new line a quantity change starts. */
  effectiveDate?: string;
}

export type HoldReason = 'policy' | 'edited-in-connectwise';

/** A change that waits: what the queue shows. */
export interface PendingChange {
  sku: string;
  /** The line it changes; null for a new line. */
  additionId: number | null;
  classes: ChangeClass[];
  reason: HoldReason;
  before: LineValues | null;
  after: LineValues;
  /** What it adds to (positive) or removes from (negative) the line's monthly bill; null when a price is unknown. */
  monthlyAmount: number | null;
  fingerprint: string;
  /** The write(s) that would make it: what an approval lets through. */
  operations: WriteOperation[];
}

export interface ReviewInput {
  plan: AccountPlan;
  actual: readonly ActualAddition[];
  ownership: readonly OwnershipRecord[];
  settings: Pick<ExportSettings, 'quantity' | 'cost' | 'retailPrice'>;
  policy: ReviewPolicy;
  decisions?: readonly ReviewDecision[];
  /** What we last wrote to our lines, for edits made in ConnectWise. */
  written?: readonly WrittenLine[];
  /** A run of approved changes only: everything else (including changes the policy applies) waits for the next run. */
  approvedOnly?: boolean;
}

export interface ReviewedPlan {
  /** What goes to ConnectWise now. */
  plan: AccountPlan;
  /** What waits (new, or still waiting), sorted by SKU. */
  pending: PendingChange[];
  /** Held changes left out because a person dismissed the same value. */
  dismissed: PendingChange[];
  /** Approved changes whose writes are in `plan`. */
  approved: PendingChange[];
  /** Our lines edited in ConnectWise since we last wrote them. */
  edited: EditedLine[];
  /** SKU → adjusted effective date, for the dating step. */
  effectiveDates: Map<string, string>;
}

interface Part {
  classes: ChangeClass[];
  hold: boolean;
  changes: FieldChange[];
}

export function reviewPlan(input: ReviewInput): ReviewedPlan {
  const { plan, policy } = input;
  const additions = new Map(input.actual.map((a) => [a.id, a]));
  const edited = detectEditedLines(input.actual, input.ownership, input.written ?? [], managedFields(input.settings));
  const editedSkus = new Set(input.policy.editedLines === 'keep' ? edited.map((e) => e.sku) : []);
  const decisions = new Map((input.decisions ?? []).map((d) => [`${d.sku}\u0000${d.fingerprint}`, d]));
  const approvedOnly = input.approvedOnly ?? false;

  const operations: AccountOperation[] = [];
  const pending: PendingChange[] = [];
  const dismissed: PendingChange[] = [];
  const approved: PendingChange[] = [];
  const effectiveDates = new Map<string, string>();
  const heldSkus = new Set<string>();

  for (const op of plan.operations) {
    if (op.kind === 'adopt') {
      operations.push(op);
      continue;
    }
    const before = op.kind === 'create' ? null : valueOrNull(additions.get(op.additionId));
    const parts = partsOf(op, before, policy, editedSkus.has(op.sku));
    const held = parts.filter((p) => p.hold);
    const going = parts.filter((p) => !p.hold).flatMap((p) => p.changes);
    if (held.length === 0) {
      if (!approvedOnly) operations.push(op);
      continue;
    }
    const heldChanges = held.flatMap((p) => p.changes);
    const heldOp = op.kind === 'create' ? op : restrict(op, heldChanges);
    const after = op.kind === 'create' ? createdValues(op) : valuesAfter(before ?? emptyValues(), heldChanges);
    const change: PendingChange = {
      sku: op.sku,
      additionId: op.kind === 'create' ? null : op.additionId,
      classes: [...new Set(held.flatMap((p) => p.classes))].sort(compareText),
      reason: editedSkus.has(op.sku) ? 'edited-in-connectwise' : 'policy',
      before,
      after,
      monthlyAmount: monthlyDelta(before, after),
      fingerprint: fingerprintOf(op, heldChanges),
      operations: [heldOp],
    };
    const decision = decisions.get(`${op.sku}\u0000${change.fingerprint}`);
    if (!approvedOnly && going.length > 0 && op.kind !== 'create') operations.push(restrict(op, going));
    if (decision?.status === 'approved') {
      const adjusted = adjust(heldOp, decision, before);
      if (adjusted) operations.push(adjusted);
      if (decision.effectiveDate !== undefined) effectiveDates.set(op.sku, decision.effectiveDate);
      approved.push(change);
    } else if (decision?.status === 'dismissed') {
      dismissed.push(change);
    } else {
      heldSkus.add(op.sku);
      pending.push(change);
    }
  }

  // Adopt before writes for one SKU, and the SKU's writes in plan order; a SKU whose write is cut in two keeps one update.
  const merged = mergeUpdates(operations);
  const touched = new Set(merged.filter((op) => op.kind !== 'adopt').map((op) => op.sku));
  const unchanged = plan.unchanged.filter((sku) => !touched.has(sku) && !heldSkus.has(sku));
  // Adoptions go in every kind of run, approved-only included: an adopt writes nothing to ConnectWise, only our
  // ownership record, and it is how a create whose record a crash lost (worker killed between ConnectWise's answer
  // and the record) is claimed again. Dropping it there left the line unowned: never updated or retired afterwards.
  return {
    plan: assemblePlan(merged, [...plan.skipped], [...plan.warnings], unchanged, plan.lines),
    pending,
    dismissed,
    approved,
    edited,
    effectiveDates,
  };
}

/** The write's parts and whether each waits. */
function partsOf(op: WriteOperation, before: LineValues | null, policy: ReviewPolicy, editedKept: boolean): Part[] {
  const waits = (cls: ChangeClass) => policy.rules[cls] === 'review';
  if (op.kind === 'create') return [{ classes: ['new-line'], hold: editedKept || waits('new-line'), changes: [] }];
  const base = before ?? emptyValues();
  const lineChanges = op.changes.filter((c) => isLineField(c.field));
  const priceChanges = op.changes.filter((c) => c.field === 'unitPrice');
  const costChanges = op.changes.filter((c) => c.field === 'unitCost');
  const parts: Part[] = [];
  if (lineChanges.length > 0) {
    const cls = lineClass(base, valuesAfter(base, lineChanges));
    parts.push({ classes: cls ? [cls] : [], hold: editedKept || (cls !== undefined && waits(cls)), changes: lineChanges });
  }
  if (priceChanges.length > 0) {
    const after = priceChanges[0].after;
    const percent = priceChangePercent(base.unitPrice, after === null ? null : Number(after));
    const over = percent > policy.priceThresholdPercent;
    parts.push({ classes: ['price-change'], hold: editedKept || (waits('price-change') && over), changes: priceChanges });
  }
  if (costChanges.length > 0) parts.push({ classes: [], hold: editedKept, changes: costChanges });
  return parts;
}

/** The same write carrying only these changes (a retire cut down stays a retire: it is the one that cancels). */
function restrict(op: Exclude<WriteOperation, { kind: 'create' }>, changes: FieldChange[]): WriteOperation {
  return { ...op, changes };
}

/** An approved change with its adjusted quantity; undefined when the adjustment leaves nothing to write. */
function adjust(op: WriteOperation, decision: ReviewDecision, before: LineValues | null): WriteOperation | undefined {
  const quantity = decision.quantity;
  if (quantity === undefined) return op;
  if (op.kind === 'create') return quantity > 0 ? { ...op, quantity } : undefined;
  const rest = op.changes.filter((c) => c.field !== 'quantity' && !(op.kind === 'retire' && c.field === 'cancelledDate'));
  const changes = [...rest];
  if ((before?.quantity ?? null) !== quantity) changes.push({ field: 'quantity', before: before?.quantity ?? null, after: quantity });
  if (changes.length === 0) return undefined;
  // An adjusted cancellation keeps the line live at the adjusted quantity: an update, not a retire.
  if (op.kind === 'retire') return { kind: 'update', sku: op.sku, key: op.key, record: op.record, additionId: op.additionId, changes, reactivates: false };
  return { ...op, changes };
}

/** Two parts of one SKU's update (one that goes, one approved) become one PATCH again. */
function mergeUpdates(operations: AccountOperation[]): AccountOperation[] {
  const out: AccountOperation[] = [];
  for (const op of operations) {
    const prev = out[out.length - 1];
    if (prev && prev.sku === op.sku && (prev.kind === 'update' || prev.kind === 'retire') && (op.kind === 'update' || op.kind === 'retire') && prev.additionId === op.additionId) {
      const changes = [...prev.changes, ...op.changes].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
      out[out.length - 1] = prev.kind === 'retire' ? { ...prev, changes } : op.kind === 'retire' ? { ...op, changes } : { ...prev, changes };
      continue;
    }
    out.push(op);
  }
  return out;
}

const FIELD_ORDER: readonly FieldChange['field'][] = ['cancelledDate', 'quantity', 'unitCost', 'unitPrice'];

function valueOrNull(addition: ActualAddition | undefined): LineValues | null {
  return addition ? valuesOf(addition) : null;
}

function emptyValues(): LineValues {
  return { quantity: null, unitPrice: null, unitCost: null, cancelled: false };
}
