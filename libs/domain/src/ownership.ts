/**
 * Which additions on an agreement are ours: ownership records checked against the agreement, and additions
 * re-found by product when a record is missing.
 */
import type { ActualAddition, OwnershipRecord, PlanWarning } from './account-types';
import { compareText } from './collections';

export interface Ownership {
  /** SKU → addition id. */
  kept: Map<string, number>;
  mismatched: Map<string, number>;
  stale: Map<string, number>;
  warnings: PlanWarning[];
}

/**
 * Sorts ownership records into
 * - kept: the addition is on the agreement and holds the SKU's product (or the SKU's product is unknown);
 *   one SKU per addition, the first SKU by sort order wins;
 * - mismatched: the addition is on the agreement but holds another product (someone re-pointed it);
 *   it is no longer ours for this SKU, so the SKU whose product it holds may adopt it;
 * - stale: the addition is gone, or it holds the right product but is kept for another SKU (with a
 *   `shared-ownership` warning).
 */
export function resolveOwnership(
  records: readonly OwnershipRecord[],
  additions: ReadonlyMap<number, ActualAddition>,
  catalog: ReadonlyMap<string, number>,
): Ownership {
  const kept = new Map<string, number>();
  const keptBy = new Map<number, string>();
  const sorted = [...records].sort((a, b) => compareText(a.sku, b.sku) || a.additionId - b.additionId);
  const holdsProduct = ({ sku, additionId }: OwnershipRecord) => {
    const productId = catalog.get(sku);
    return productId === undefined || additions.get(additionId)?.productId === productId;
  };
  for (const record of sorted) {
    if (kept.has(record.sku) || keptBy.has(record.additionId) || !additions.has(record.additionId) || !holdsProduct(record)) continue;
    kept.set(record.sku, record.additionId);
    keptBy.set(record.additionId, record.sku);
  }

  const mismatched = new Map<string, number>();
  const stale = new Map<string, number>();
  const warnings: PlanWarning[] = [];
  for (const record of sorted) {
    const { sku, additionId } = record;
    if (kept.has(sku) || mismatched.has(sku) || stale.has(sku)) continue;
    const holder = keptBy.get(additionId);
    if (!additions.has(additionId)) {
      stale.set(sku, additionId);
    } else if (!holdsProduct(record)) {
      mismatched.set(sku, additionId);
    } else {
      warnings.push({
        code: 'shared-ownership',
        sku,
        additionIds: [additionId],
        message: `Addition ${additionId} is already ours for SKU ${holder ?? '?'}; this SKU's record is ignored.`,
      });
      stale.set(sku, additionId);
    }
  }
  return { kept, mismatched, stale, warnings };
}

/**
 * The unclaimed addition holding `productId`: the lowest-id live one, else the lowest-id cancelled one.
 * Also says which additions hold the product but are claimed by other SKUs, so none is ever duplicated.
 */
export function refindByProduct(
  actual: readonly ActualAddition[],
  productId: number,
  claimed: ReadonlySet<number>,
): { addition?: ActualAddition; ambiguous: number[]; heldByOthers: number[] } {
  const holding = actual.filter((a) => a.productId === productId).sort((a, b) => a.id - b.id);
  const candidates = holding.filter((a) => !claimed.has(a.id));
  const live = candidates.filter((a) => !isCancelled(a));
  return {
    addition: live[0] ?? candidates[0],
    ambiguous: live.map((a) => a.id),
    heldByOthers: holding.filter((a) => claimed.has(a.id)).map((a) => a.id),
  };
}

/** Cancelled in ConnectWise (any cancelled date, past or future). */
export function isCancelled(addition: ActualAddition): boolean {
  return typeof addition.cancelledDate === 'string' && addition.cancelledDate.trim() !== '';
}
