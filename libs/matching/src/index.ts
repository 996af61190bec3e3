export { CompanyMatcher, DEFAULT_MIN_GAP, DEFAULT_MIN_SCORE, STRONG_SCORE, type ScoredCandidate } from './matcher';
export {
  type AccountRecord,
  type AccountSuggestion,
  type AmbiguousMatch,
  type CompanyRecord,
  type MatcherOptions,
  type MatchOutcome,
  type RankedCompany,
  type Suggestion,
  SUGGESTION_TIERS,
  type SuggestionTier,
  type SuggestOptions,
} from './types';
export { normalizeName, type NormalizedName } from './text/normalize';
export { type DecidedPair, PartnerKnowledge } from './learning/partner-knowledge';
export { type CatalogCandidate, type CatalogItemRecord, CatalogMatcher, type CatalogOutcome, type CatalogSuggestion, type SkuRecord } from './catalog/catalog-matcher';
