/**
 * Account phase: desired SKUs (platform) against the agreement's additions (ConnectWise) → the writes that
 * bring ConnectWise in step, and nothing for what already is. Rules and decisions: libs/domain/README.md.
 */
import type {
  AccountOperation,
  AccountPlan,
  ActualAddition,
  DesiredAddition,
  FieldChange,
  OwnershipRecord,
  PlanWarning,
  SkipReason,
  SkippedSku,
} from './account-types';
import { compareText, groupBy } from './collections';
import { DomainError, DomainErrorCode } from './errors';
import { moneyEquals, normaliseMoney, quantityEquals } from './money';
import { isCancelled, type Ownership, refindByProduct, resolveOwnership } from './ownership';
import type { ExportSettings } from './settings';

export interface PlanAccountInput {
  desired: readonly DesiredAddition[];
  /** SKU → ConnectWise catalog item id, from the catalog phase. */
  catalog: ReadonlyMap<string, number>;
  /** Every addition on the mapped agreement. */
  actual: readonly ActualAddition[];
  /** Our ownership records for this agreement. */
  ownership: readonly OwnershipRecord[];
  settings: ExportSettings;
  /** The run's calendar date in the partner's time zone, `YYYY-MM-DD`. */
  runDate: string;
}

const KIND_ORDER: Record<AccountOperation['kind'], number> = { adopt: 0, create: 1, update: 2, retire: 3 };

export function planAccount(input: PlanAccountInput): AccountPlan {
  const runDateTime = toConnectWiseDateTime(input.runDate);
  const additions = new Map(input.actual.map((addition) => [addition.id, addition]));
  const { lines, skipped } = mergeDesired(input.desired);
  const desiredSkus = new Set(input.desired.map((line) => line.sku));
  const ownership = resolveOwnership(input.ownership, additions, input.catalog);
  const claimed = new Set(ownership.kept.values());
  const warnings = ownership.warnings;
  const operations: AccountOperation[] = [];
  const unchanged: string[] = [];

  for (const line of lines) {
    const found = locate(line, input, additions, ownership, claimed, warnings);
    switch (found.kind) {
      case 'skip':
        skipped.push({ sku: line.sku, reason: found.reason, message: found.message });
        continue;
      case 'create':
        operations.push(createOperation(line, found.productId, input.settings, runDateTime));
        continue;
      case 'adopt':
        claimed.add(found.addition.id);
        operations.push({ kind: 'adopt', sku: line.sku, additionId: found.addition.id, ...found.replaces });
        break;
      case 'owned':
        break;
    }
    const { changes, reactivates } = additionChanges(found.addition, line, input.settings);
    if (changes.length > 0) operations.push({ kind: 'update', sku: line.sku, additionId: found.addition.id, changes, reactivates });
    else unchanged.push(line.sku);
  }

  for (const [sku, additionId] of ownership.kept) {
    const addition = additions.get(additionId);
    if (desiredSkus.has(sku) || !addition || isRetired(addition)) continue;
    operations.push(retireOperation(sku, addition, input.settings, runDateTime));
  }

  operations.sort((a, b) => compareText(a.sku, b.sku) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  skipped.sort((a, b) => compareText(a.sku, b.sku));
  return assemble(operations, skipped, warnings, unchanged);
}

type Located =
  | { kind: 'owned'; addition: ActualAddition }
  | { kind: 'adopt'; addition: ActualAddition; replaces: { replacesAdditionId?: number } }
  | { kind: 'create'; productId: number }
  | { kind: 'skip'; reason: SkipReason; message: string };

/** Which addition on the agreement is the desired SKU's, or why there is none to write. */
function locate(
  line: DesiredAddition,
  input: PlanAccountInput,
  additions: ReadonlyMap<number, ActualAddition>,
  ownership: Ownership,
  claimed: ReadonlySet<number>,
  warnings: PlanWarning[],
): Located {
  const { sku } = line;
  const productId = input.catalog.get(sku);
  if (productId === undefined) return { kind: 'skip', reason: 'no-catalog-item', message: 'No ConnectWise catalog item for this SKU.' };

  const ownedId = ownership.kept.get(sku);
  const owned = ownedId === undefined ? undefined : additions.get(ownedId);
  if (owned) return { kind: 'owned', addition: owned };

  const mismatchedId = ownership.mismatched.get(sku);
  if (mismatchedId !== undefined) {
    const holds = additions.get(mismatchedId)?.productId;
    return {
      kind: 'skip',
      reason: 'owned-addition-product-changed',
      message: `Addition ${mismatchedId} now holds product ${holds}, not ${productId}; left as it is.`,
    };
  }

  const found = refindByProduct(input.actual, productId, claimed);
  if (found.ambiguous.length > 1) {
    warnings.push({
      code: 'ambiguous-additions',
      sku,
      additionIds: found.ambiguous,
      message: `Additions ${found.ambiguous.join(', ')} all hold this product; adopted ${found.ambiguous[0]}, left the others alone.`,
    });
  }
  const staleId = ownership.stale.get(sku);
  if (found.addition) {
    return { kind: 'adopt', addition: found.addition, replaces: staleId === undefined ? {} : { replacesAdditionId: staleId } };
  }
  if (staleId !== undefined) {
    return {
      kind: 'skip',
      reason: 'owned-addition-missing',
      message: `Addition ${staleId} was removed from the agreement in ConnectWise; not re-created.`,
    };
  }
  if (found.heldByOthers.length > 0) {
    return {
      kind: 'skip',
      reason: 'product-held-by-another-sku',
      message: `Additions ${found.heldByOthers.join(', ')} hold this product but are ours for other SKUs; not duplicated.`,
    };
  }
  if (line.quantity <= 0) return { kind: 'skip', reason: 'zero-quantity', message: 'Desired quantity is 0: nothing to bill.' };
  return { kind: 'create', productId };
}

function assemble(operations: AccountOperation[], skipped: SkippedSku[], warnings: PlanWarning[], unchanged: string[]): AccountPlan {
  const count = (kind: AccountOperation['kind']) => operations.filter((op) => op.kind === kind).length;
  const creates = count('create');
  const updates = count('update');
  const retires = count('retire');
  const writes = creates + updates + retires;
  return {
    operations,
    skipped,
    warnings,
    unchanged,
    writes,
    summary: {
      status: writes > 0 ? 'changed' : 'unchanged',
      writes,
      creates,
      updates,
      retires,
      adopts: count('adopt'),
      unchanged: unchanged.length,
      skipped: skipped.length,
      warnings: warnings.length,
    },
  };
}

/** One line per SKU, sorted: repeated SKUs add up their quantities when their cost and price agree; bad lines are skipped. */
function mergeDesired(desired: readonly DesiredAddition[]): { lines: DesiredAddition[]; skipped: SkippedSku[] } {
  const lines: DesiredAddition[] = [];
  const skipped: SkippedSku[] = [];
  const groups = [...groupBy(desired, (line) => line.sku)].sort(([a], [b]) => compareText(a, b));
  for (const [sku, group] of groups) {
    if (group.some((line) => !isValidLine(line))) {
      skipped.push({ sku, reason: 'invalid-desired', message: 'Quantity, cost or price is not a valid number.' });
      continue;
    }
    const ordered = [...group].sort(compareLines);
    const [first, ...rest] = ordered as [DesiredAddition, ...DesiredAddition[]];
    if (rest.some((line) => !moneyEquals(line.unitCost, first.unitCost) || !moneyEquals(line.retailPrice, first.retailPrice))) {
      skipped.push({ sku, reason: 'conflicting-desired-lines', message: 'The SKU is listed more than once with different cost or price.' });
      continue;
    }
    lines.push({ ...first, quantity: ordered.reduce((sum, line) => sum + line.quantity, 0) });
  }
  return { lines, skipped };
}

/** A total order on lines of one SKU, so that merging them does not depend on the order they arrived in. */
function compareLines(a: DesiredAddition, b: DesiredAddition): number {
  return a.unitCost - b.unitCost || (a.retailPrice ?? -1) - (b.retailPrice ?? -1) || a.quantity - b.quantity;
}

function isValidLine(line: DesiredAddition): boolean {
  return (
    Number.isFinite(line.quantity) &&
    line.quantity >= 0 &&
    Number.isFinite(line.unitCost) &&
    (line.retailPrice === undefined || Number.isFinite(line.retailPrice))
  );
}

function retireOperation(sku: string, addition: ActualAddition, settings: ExportSettings, runDateTime: string): AccountOperation {
  const mode = settings.disappearedSku.mode;
  const change: FieldChange =
    mode === 'zero'
      ? { field: 'quantity', before: addition.quantity ?? null, after: 0 }
      : { field: 'cancelledDate', before: null, after: runDateTime };
  return { kind: 'retire', sku, additionId: addition.id, mode, changes: [change] };
}

function createOperation(line: DesiredAddition, productId: number, settings: ExportSettings, runDateTime: string): AccountOperation {
  return {
    kind: 'create',
    sku: line.sku,
    productId,
    quantity: line.quantity,
    ...(settings.cost ? { unitCost: normaliseMoney(line.unitCost) } : {}),
    ...(settings.retailPrice && line.retailPrice !== undefined ? { unitPrice: normaliseMoney(line.retailPrice) } : {}),
    billCustomer: 'Billable',
    effectiveDate: runDateTime,
  };
}

/**
 * The fields of an existing addition that differ from the desired line, in a fixed order. A retired addition
 * (cancelled, or at quantity 0) whose SKU is back with a quantity is reactivated: cancelledDate cleared and the
 * desired quantity written whatever the quantity setting. Cost and price follow their settings.
 */
function additionChanges(
  addition: ActualAddition,
  line: DesiredAddition,
  settings: ExportSettings,
): { changes: FieldChange[]; reactivates: boolean } {
  const changes: FieldChange[] = [];
  const cancelled = isCancelled(addition);
  if (cancelled && line.quantity <= 0) return { changes, reactivates: false };
  const reactivates = cancelled || (addition.quantity === 0 && line.quantity > 0);
  if (cancelled) changes.push({ field: 'cancelledDate', before: addition.cancelledDate ?? null, after: null });
  if ((settings.quantity || reactivates) && !quantityEquals(addition.quantity, line.quantity)) {
    changes.push({ field: 'quantity', before: addition.quantity ?? null, after: line.quantity });
  }
  if (settings.cost && !moneyEquals(addition.unitCost, line.unitCost)) {
    changes.push({ field: 'unitCost', before: addition.unitCost ?? null, after: normaliseMoney(line.unitCost) });
  }
  if (settings.retailPrice && line.retailPrice !== undefined && !moneyEquals(addition.unitPrice, line.retailPrice)) {
    changes.push({ field: 'unitPrice', before: addition.unitPrice ?? null, after: normaliseMoney(line.retailPrice) });
  }
  return { changes, reactivates };
}

/** Retired by us or by hand: cancelled, or at quantity 0. Retiring it again would write nothing new. */
function isRetired(addition: ActualAddition): boolean {
  return isCancelled(addition) || addition.quantity === 0;
}

/** `YYYY-MM-DD` → ConnectWise date-time at midnight UTC (the format ConnectWise returns dates in). */
export function toConnectWiseDateTime(runDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(runDate);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return `${runDate}T00:00:00Z`;
    }
  }
  throw new DomainError(DomainErrorCode.InvalidRunDate, `Run date must be a calendar date YYYY-MM-DD, got "${runDate}".`);
}
