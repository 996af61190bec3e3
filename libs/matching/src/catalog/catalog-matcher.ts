import { CompanyMatcher } from '../matcher';
import { squash } from '../text/tokenize';
import { type MatchOutcome, type RankedCompany, type SuggestionTier } from '../types';

/** A ConnectWise catalog item, as far as matching needs it. */
export interface CatalogItemRecord {
  readonly id: number;
  readonly identifier: string;
  readonly description?: string | null;
  readonly vendorSku?: string | null;
  readonly manufacturerPartNumber?: string | null;
}

/** A SKU the partner resells on the platform. */
export interface SkuRecord {
  readonly sku: string;
  readonly name: string;
}

export interface CatalogSuggestion {
  readonly catalogItemId: number;
  readonly score: number;
  readonly tier: SuggestionTier;
  readonly reason: string;
}

export interface CatalogCandidate {
  readonly catalogItemId: number;
  readonly score: number;
  readonly reason: string;
}

export type CatalogOutcome =
  | { readonly kind: 'suggestion'; readonly suggestion: CatalogSuggestion }
  | { readonly kind: 'ambiguous'; readonly ambiguous: { readonly reason: string; readonly candidates: readonly CatalogCandidate[] } }
  | { readonly kind: 'none' };

const CODE_FIELDS = [
  ['identifier', 'identifier'],
  ['vendorSku', 'vendor SKU'],
  ['manufacturerPartNumber', 'manufacturer part number'],
] as const;

/** A code as compared: letters and digits, folded ("M365-BP" and "m365bp" are one code). */
function codeKey(code: string | null | undefined): string {
  return code ? squash(code) : '';
}

/**
 * Suggests, for each platform SKU, the existing ConnectWise catalog item that sells it — the same rules as
 * company suggestions: say nothing rather than guess, and say it is ambiguous when several items fit.
 * 1. By code: the SKU equals an item's identifier, vendor SKU or manufacturer part number (letters and digits,
 *    case folded) → `exact`; two or more items carrying the code → ambiguous.
 * 2. Otherwise by name: the SKU's name against the items' descriptions, through CompanyMatcher (calibrated
 *    confidence, runner-up gap, numbers that differ name another product: "Backup 100 GB" is not "Backup 200 GB").
 */
export class CatalogMatcher {
  private readonly byCode = new Map<string, { item: CatalogItemRecord; field: string }[]>();
  private readonly byName: CompanyMatcher;
  private readonly items = new Map<number, CatalogItemRecord>();

  constructor(items: readonly CatalogItemRecord[]) {
    for (const item of items) {
      this.items.set(item.id, item);
      const seen = new Set<string>();
      for (const [field, label] of CODE_FIELDS) {
        const key = codeKey(item[field]);
        if (!key || seen.has(key)) continue;
        seen.add(key);
        const list = this.byCode.get(key) ?? [];
        list.push({ item, field: `${label} '${item[field]}'` });
        this.byCode.set(key, list);
      }
    }
    this.byName = new CompanyMatcher(items.filter((i) => i.description).map((i) => ({ id: i.id, name: i.description as string })));
  }

  match(sku: SkuRecord): CatalogOutcome {
    const byCode = this.byCode.get(codeKey(sku.sku)) ?? [];
    if (byCode.length === 1) {
      const { item, field } = byCode[0];
      return { kind: 'suggestion', suggestion: { catalogItemId: item.id, score: 1, tier: 'exact', reason: `${field} is the SKU '${sku.sku}'` } };
    }
    if (byCode.length > 1) {
      return {
        kind: 'ambiguous',
        ambiguous: {
          reason: `${byCode.length} catalog items carry the code '${sku.sku}'`,
          candidates: byCode.map(({ item, field }) => ({ catalogItemId: item.id, score: 1, reason: `${field} is the SKU` })),
        },
      };
    }
    return this.fromName(this.byName.match({ id: sku.sku, name: sku.name }));
  }

  private fromName(outcome: MatchOutcome): CatalogOutcome {
    const described = (reason: string) => `description: ${reason}`;
    if (outcome.kind === 'suggestion') {
      const s = outcome.suggestion;
      return { kind: 'suggestion', suggestion: { catalogItemId: Number(s.companyId), score: s.score, tier: s.tier, reason: described(s.reason) } };
    }
    if (outcome.kind === 'ambiguous') {
      const candidates = outcome.ambiguous.candidates.map((c: RankedCompany) => ({ catalogItemId: Number(c.companyId), score: c.score, reason: described(c.reason) }));
      const reason = outcome.ambiguous.reason.replace(/companies/g, 'catalog items').replace("the account's name", "the SKU's name");
      return { kind: 'ambiguous', ambiguous: { reason, candidates } };
    }
    return outcome;
  }
}
