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
  SkippedSku,
} from './account-types';
import { compareText, groupBy } from './collections';
import { DomainError, DomainErrorCode } from './errors';
import { moneyEquals, normaliseMoney, quantityEquals } from './money';
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
  const { kept, stale, warnings } = resolveOwnership(input.ownership, additions);
  const claimed = new Set(kept.values());

  const operations: AccountOperation[] = [];
  const unchanged: string[] = [];
  const skip = (sku: string, reason: SkippedSku['reason'], message: string) => skipped.push({ sku, reason, message });

  for (const line of lines) {
    const { sku } = line;
    const productId = input.catalog.get(sku);
    if (productId === undefined) {
      skip(sku, 'no-catalog-item', 'No ConnectWise catalog item for this SKU.');
      continue;
    }

    let addition: ActualAddition | undefined;
    const ownedId = kept.get(sku);
    if (ownedId !== undefined) {
      addition = additions.get(ownedId);
      if (addition && addition.productId !== productId) {
        skip(sku, 'owned-addition-product-changed', `Addition ${ownedId} now holds product ${addition.productId}, not ${productId}; left as it is.`);
        continue;
      }
    } else {
      const found = refindByProduct(input.actual, productId, claimed);
      if (found.ambiguous.length > 1) {
        warnings.push({
          code: 'ambiguous-additions',
          sku,
          additionIds: found.ambiguous,
          message: `Additions ${found.ambiguous.join(', ')} all hold this product; adopted ${found.ambiguous[0]}, left the others alone.`,
        });
      }
      addition = found.addition;
      const staleId = stale.get(sku);
      if (addition) {
        claimed.add(addition.id);
        operations.push({ kind: 'adopt', sku, additionId: addition.id, ...(staleId === undefined ? {} : { replacesAdditionId: staleId }) });
      } else if (staleId !== undefined) {
        skip(sku, 'owned-addition-missing', `Addition ${staleId} was removed from the agreement in ConnectWise; not re-created.`);
        continue;
      } else if (line.quantity <= 0) {
        skip(sku, 'zero-quantity', 'Desired quantity is 0: nothing to bill.');
        continue;
      } else {
        operations.push(createOperation(line, productId, input.settings, runDateTime));
        continue;
      }
    }
    if (!addition) continue; // unreachable: a kept ownership record always points at an addition on the agreement

    const { changes, reactivates } = additionChanges(addition, line, input.settings);
    if (changes.length > 0) operations.push({ kind: 'update', sku, additionId: addition.id, changes, reactivates });
    else unchanged.push(sku);
  }

  for (const [sku, additionId] of kept) {
    const addition = additions.get(additionId);
    if (desiredSkus.has(sku) || !addition || isRetired(addition)) continue;
    const mode = input.settings.disappearedSku.mode;
    const change: FieldChange =
      mode === 'zero'
        ? { field: 'quantity', before: addition.quantity ?? null, after: 0 }
        : { field: 'cancelledDate', before: null, after: runDateTime };
    operations.push({ kind: 'retire', sku, additionId, mode, changes: [change] });
  }

  operations.sort((a, b) => compareText(a.sku, b.sku) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  skipped.sort((a, b) => compareText(a.sku, b.sku));
  return assemble(operations, skipped, warnings, unchanged);
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
    const [first, ...rest] = group as [DesiredAddition, ...DesiredAddition[]];
    if (rest.some((line) => !moneyEquals(line.unitCost, first.unitCost) || !moneyEquals(line.retailPrice, first.retailPrice))) {
      skipped.push({ sku, reason: 'conflicting-desired-lines', message: 'The SKU is listed more than once with different cost or price.' });
      continue;
    }
    lines.push({ ...first, quantity: group.reduce((sum, line) => sum + line.quantity, 0) });
  }
  return { lines, skipped };
}

function isValidLine(line: DesiredAddition): boolean {
  return (
    Number.isFinite(line.quantity) &&
    line.quantity >= 0 &&
    Number.isFinite(line.unitCost) &&
    (line.retailPrice === undefined || Number.isFinite(line.retailPrice))
  );
}

/**
 * Splits ownership records into kept (the addition is on the agreement; one SKU per addition, first SKU wins)
 * and stale (the addition is gone, or already kept for another SKU).
 */
function resolveOwnership(
  records: readonly OwnershipRecord[],
  additions: ReadonlyMap<number, ActualAddition>,
): { kept: Map<string, number>; stale: Map<string, number>; warnings: PlanWarning[] } {
  const kept = new Map<string, number>();
  const stale = new Map<string, number>();
  const keptBy = new Map<number, string>();
  const warnings: PlanWarning[] = [];
  const sorted = [...records].sort((a, b) => compareText(a.sku, b.sku) || a.additionId - b.additionId);
  for (const { sku, additionId } of sorted) {
    if (kept.has(sku)) continue;
    const holder = keptBy.get(additionId);
    if (!additions.has(additionId) || holder !== undefined) {
      if (holder !== undefined) {
        warnings.push({
          code: 'shared-ownership',
          sku,
          additionIds: [additionId],
          message: `Addition ${additionId} is already ours for SKU ${holder}; this SKU's record is ignored.`,
        });
      }
      if (!stale.has(sku)) stale.set(sku, additionId);
      continue;
    }
    kept.set(sku, additionId);
    keptBy.set(additionId, sku);
    stale.delete(sku);
  }
  return { kept, stale, warnings };
}

/** The unclaimed addition holding `productId`: the lowest-id live one, else the lowest-id cancelled one. */
function refindByProduct(
  actual: readonly ActualAddition[],
  productId: number,
  claimed: ReadonlySet<number>,
): { addition?: ActualAddition; ambiguous: number[] } {
  const candidates = actual.filter((a) => a.productId === productId && !claimed.has(a.id)).sort((a, b) => a.id - b.id);
  const live = candidates.filter((a) => !isCancelled(a));
  return { addition: live[0] ?? candidates[0], ambiguous: live.map((a) => a.id) };
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

function isCancelled(addition: ActualAddition): boolean {
  return typeof addition.cancelledDate === 'string' && addition.cancelledDate.trim() !== '';
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
