/**
 * Which additions on an agreement are ours: ownership records checked against the agreement, and additions
 * re-found by product when a record is missing. Records are keyed by line (`item:<catalogItemId>:<term>`).
 */
import type { ActualAddition, OwnershipRecord, PlanWarning } from './account-types';
import { DEFAULT_TERM, lineKey, parseLineKey, type Term } from './billing';
import { compareText } from './collections';

export interface Ownership {
  /** Line key → addition id. */
  kept: Map<string, number>;
  mismatched: Map<string, number>;
  stale: Map<string, number>;
  warnings: PlanWarning[];
  /** Line key → the key the record was stored under (a SKU for records written before issue 18). */
  storedAs: Map<string, string>;
}

/**
 * A stored record as a line: a line key as it is; a record written before issue 18 holds a SKU, read as the monthly
 * line of that SKU's own catalog item (`catalog`). A SKU the catalog does not know keeps its SKU as an opaque key:
 * its product is unknown, so it is kept while its addition is on the agreement (as before issue 18).
 */
function asLineRecord(record: OwnershipRecord, catalog: ReadonlyMap<string, number>): { key: string; additionId: number; storedAs: string } {
  const productId = parseLineKey(record.key) ? undefined : catalog.get(record.key);
  const key = productId === undefined ? record.key : lineKey(productId, DEFAULT_TERM);
  return { key, additionId: record.additionId, storedAs: record.key };
}

/**
 * Sorts ownership records into
 * - kept: the addition is on the agreement and holds the line's product; one line per addition, the first key by sort order wins;
 * - mismatched: the addition is on the agreement but holds another product (someone re-pointed it);
 *   it is no longer ours for this line, so the line whose product it holds may adopt it;
 * - stale: the addition is gone, or it holds the right product but is kept for another line (with a
 *   `shared-ownership` warning).
 */
export function resolveOwnership(
  records: readonly OwnershipRecord[],
  additions: ReadonlyMap<number, ActualAddition>,
  catalog: ReadonlyMap<string, number>,
): Ownership {
  const kept = new Map<string, number>();
  const keptBy = new Map<number, string>();
  const storedAs = new Map<string, string>();
  const lines = records.map((r) => asLineRecord(r, catalog));
  const sorted = [...lines].sort((a, b) => compareText(a.storedAs, b.storedAs) || a.additionId - b.additionId);
  const holdsProduct = ({ key, additionId }: { key: string; additionId: number }) => {
    const line = parseLineKey(key);
    return line === undefined || additions.get(additionId)?.productId === line.catalogItemId;
  };
  for (const record of sorted) {
    if (kept.has(record.key) || keptBy.has(record.additionId) || !additions.has(record.additionId) || !holdsProduct(record)) continue;
    kept.set(record.key, record.additionId);
    keptBy.set(record.additionId, record.key);
    storedAs.set(record.key, record.storedAs);
  }

  const mismatched = new Map<string, number>();
  const stale = new Map<string, number>();
  const warnings: PlanWarning[] = [];
  for (const record of sorted) {
    const { key, additionId } = record;
    if (kept.has(key) || mismatched.has(key) || stale.has(key)) continue;
    storedAs.set(key, record.storedAs);
    const holder = keptBy.get(additionId);
    if (!additions.has(additionId)) {
      stale.set(key, additionId);
    } else if (!holdsProduct(record)) {
      mismatched.set(key, additionId);
    } else {
      warnings.push({
        code: 'shared-ownership',
        sku: record.storedAs,
        additionIds: [additionId],
        message: `Addition ${additionId} is already ours for ${holder === undefined ? '?' : (storedAs.get(holder) ?? holder)}; this record is ignored.`,
      });
      stale.set(key, additionId);
    }
  }
  return { kept, mismatched, stale, warnings, storedAs };
}

/** What ends the invoice description of a line we created for a non-monthly term. */
export function termSuffix(term: Term): string {
  return ` (${term} term)`;
}

/** The term of an addition: the one its invoice description ends with, else monthly (hand-made lines, lines before issue 18). */
export function termOfAddition(addition: ActualAddition): Term {
  const text = (addition.invoiceDescription ?? '').trimEnd().toLowerCase();
  return text.endsWith(termSuffix('annual').trim()) ? 'annual' : DEFAULT_TERM;
}

/**
 * The unclaimed addition of the term holding `productId`: the lowest-id live one, else the lowest-id cancelled one.
 * Also says which additions of the term hold the product but are claimed by other lines, so none is ever duplicated.
 */
export function refindByProduct(
  actual: readonly ActualAddition[],
  productId: number,
  term: Term,
  claimed: ReadonlySet<number>,
): { addition?: ActualAddition; ambiguous: number[]; heldByOthers: number[] } {
  const holding = actual.filter((a) => a.productId === productId && termOfAddition(a) === term).sort((a, b) => a.id - b.id);
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
