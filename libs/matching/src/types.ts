import type { PartnerKnowledge } from './learning/partner-knowledge';

/** A ConnectWise company: `identifier` is ConnectWise's short code made from the name (letters and digits, ≤ 25). */
export interface CompanyRecord {
  readonly id: string | number;
  readonly identifier?: string | null;
  readonly name: string;
}

/** A customer account on the cloud platform, to be mapped to a company. */
export interface AccountRecord {
  readonly id: string | number;
  readonly name: string;
}

/**
 * How much a suggestion can be trusted, in words: `exact` = the same name once case, punctuation, legal form
 * and generic abbreviations are normalized (or the name is the company's identifier); `strong` = confidence
 * ≥ 0.9; `possible` = confidence between the suggestion threshold (0.7) and 0.9: check before accepting.
 */
export type SuggestionTier = 'exact' | 'strong' | 'possible';
export const SUGGESTION_TIERS: readonly SuggestionTier[] = ['exact', 'strong', 'possible'];

/** A confident suggestion for one account. */
export interface Suggestion {
  readonly companyId: string | number;
  /** Calibrated confidence in 0..1 that this is the account's company. */
  readonly score: number;
  readonly tier: SuggestionTier;
  /** Why, in words a partner can check, e.g. "same name after removing 'Inc.'". */
  readonly reason: string;
  /** Confidence of the best other company, when there was one. */
  readonly runnerUpScore?: number;
  /** What was learned from this partner's earlier decisions and used here (also named in `reason`). */
  readonly learned?: readonly string[];
}

/**
 * Several companies share the account's base name and nothing in the account's name decides between them
 * (sibling sites of one organisation, "Hope Center" among "Hope Center – Uptown" and "Hope Center – Lakeside";
 * or two same-name companies): no suggestion, the candidates are shown instead.
 */
export interface AmbiguousMatch {
  readonly reason: string;
  /** Best first, at most 5. */
  readonly candidates: readonly RankedCompany[];
}

/** What the matcher says about one account. */
export type MatchOutcome =
  | { readonly kind: 'suggestion'; readonly suggestion: Suggestion }
  | { readonly kind: 'ambiguous'; readonly ambiguous: AmbiguousMatch }
  | { readonly kind: 'none' };

export interface AccountSuggestion extends Suggestion {
  readonly accountId: string | number;
}

/** One ranked company for an account, suggested or not (for review screens and tuning). */
export interface RankedCompany {
  readonly companyId: string | number;
  readonly score: number;
  readonly reason: string;
}

export interface MatcherOptions {
  /** Minimum confidence to suggest. Default 0.7. */
  readonly minScore?: number;
  /** Minimum lead of the best company's confidence over the runner-up's. Default 0.15. */
  readonly minGap?: number;
  /** How many index candidates are re-scored per account. Default 30. */
  readonly maxCandidates?: number;
  /** What was learned from this partner (accepted pairs, its account names); see `PartnerKnowledge`. */
  readonly knowledge?: PartnerKnowledge;
}

export interface SuggestOptions {
  /**
   * Company ids already mapped to other accounts. They still compete (an account that looks most like a
   * taken company gets no suggestion rather than the second best), but are never suggested.
   */
  readonly exclude?: ReadonlySet<string | number>;
  /**
   * Company ids the partner rejected for this account: never suggested for it again, and they do not compete
   * either (the partner said they are not this account's company).
   */
  readonly rejected?: ReadonlySet<string | number>;
}
