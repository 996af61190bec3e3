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

/** A confident suggestion for one account. */
export interface Suggestion {
  readonly companyId: string | number;
  /** Calibrated confidence in 0..1 that this is the account's company. */
  readonly score: number;
  /** Why, in words a partner can check, e.g. "same name after removing 'Inc.'". */
  readonly reason: string;
  /** Confidence of the best other company, when there was one. */
  readonly runnerUpScore?: number;
}

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
}

export interface SuggestOptions {
  /**
   * Company ids already mapped to other accounts. They still compete (an account that looks most like a
   * taken company gets no suggestion rather than the second best), but are never suggested.
   */
  readonly exclude?: ReadonlySet<string | number>;
}
