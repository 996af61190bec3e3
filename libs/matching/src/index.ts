export { CompanyMatcher, DEFAULT_MIN_GAP, DEFAULT_MIN_SCORE, type ScoredCandidate } from './matcher';
export type { AccountRecord, AccountSuggestion, CompanyRecord, MatcherOptions, RankedCompany, Suggestion, SuggestOptions } from './types';
export { normalizeName, type NormalizedName } from './text/normalize';
