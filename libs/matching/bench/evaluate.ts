import { CompanyMatcher } from '../src/matcher';
import { type MatcherOptions, type SuggestionTier } from '../src/types';
import { TrigramTfIdfBaseline } from './baseline';
import { type LabelledAccount, type LabelledPair, type LabelledSet } from './labelled-sets';
import { scoreSuggestions, type SuggestionMetrics } from './metrics';

export interface SetResult {
  readonly metrics: SuggestionMetrics;
  /** Share of matchable accounts whose expected company ranked first (suggested or not). */
  readonly top1: number;
  readonly seconds: number;
  /** Accounts called ambiguous, and how many of those had their company among the candidates shown. */
  readonly ambiguous?: { readonly accounts: number; readonly withCompany: number };
  /** Per tier: suggestions made, and how many were right. */
  readonly tiers?: TierCounts;
  /** (confidence, right) of every suggestion, for the reliability table. */
  readonly outcomes?: readonly (readonly [number, boolean])[];
}

export type TierCounts = Record<SuggestionTier, { suggested: number; correct: number }>;

/** Suggestions, ambiguities, tiers and confidences for labelled accounts, from one matcher. */
export function runMatcher(matcher: CompanyMatcher, accounts: readonly LabelledAccount[]): Omit<SetResult, 'top1' | 'seconds'> {
  const suggested = new Map<string, string>();
  const tiers: TierCounts = { exact: { suggested: 0, correct: 0 }, strong: { suggested: 0, correct: 0 }, possible: { suggested: 0, correct: 0 } };
  const outcomes: [number, boolean][] = [];
  let ambiguous = 0;
  let withCompany = 0;
  for (const a of accounts) {
    const o = matcher.match(a);
    if (o.kind === 'suggestion') {
      const right = String(o.suggestion.companyId) === a.expected;
      suggested.set(a.id, String(o.suggestion.companyId));
      tiers[o.suggestion.tier].suggested++;
      if (right) tiers[o.suggestion.tier].correct++;
      outcomes.push([o.suggestion.score, right]);
    } else if (o.kind === 'ambiguous') {
      ambiguous++;
      if (a.expected && o.ambiguous.candidates.some((c) => String(c.companyId) === a.expected)) withCompany++;
    }
  }
  return { metrics: scoreSuggestions(accounts, suggested), ambiguous: { accounts: ambiguous, withCompany }, tiers, outcomes };
}

/** Runs our matcher over a labelled set (index build included in the time). */
export function evaluateMatcher(set: LabelledSet, options: MatcherOptions = {}): SetResult {
  const t0 = process.hrtime.bigint();
  const matcher = new CompanyMatcher(set.companies, options);
  const result = runMatcher(matcher, set.accounts);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let top = 0;
  const matchable = set.accounts.filter((a) => a.expected);
  for (const a of matchable) {
    const best = matcher.rank(a.name, 30)[0];
    if (best && String(best.company.record.id) === a.expected) top++;
  }
  return { ...result, top1: matchable.length ? top / matchable.length : 0, seconds };
}

export function evaluateBaseline(set: LabelledSet): SetResult {
  const t0 = process.hrtime.bigint();
  const baseline = new TrigramTfIdfBaseline(set.companies);
  const suggested = new Map<string, string>();
  for (const a of set.accounts) {
    const s = baseline.suggest(a);
    if (s) suggested.set(a.id, String(s.companyId));
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let top = 0;
  const matchable = set.accounts.filter((a) => a.expected);
  for (const a of matchable) {
    const t = baseline.top2(a.name);
    if (t && String(set.companies[t.best].id) === a.expected) top++;
  }
  return { metrics: scoreSuggestions(set.accounts, suggested), top1: matchable.length ? top / matchable.length : 0, seconds };
}

export interface PairResult {
  readonly positives: number;
  readonly negatives: number;
  readonly acceptedPositives: number;
  readonly acceptedNegatives: number;
}

/**
 * Pairs as one-company decisions: a matcher built on the single company `b` is asked about account `a`
 * (and the baseline likewise). Accepting a negative pair is a false suggestion.
 */
export function evaluatePairs(pairs: readonly LabelledPair[], decide: (a: string, b: string) => boolean): PairResult {
  let pos = 0;
  let neg = 0;
  let ap = 0;
  let an = 0;
  for (const p of pairs) {
    const ok = decide(p.a, p.b);
    if (p.same) {
      pos++;
      if (ok) ap++;
    } else {
      neg++;
      if (ok) an++;
    }
  }
  return { positives: pos, negatives: neg, acceptedPositives: ap, acceptedNegatives: an };
}

export function ourPairDecision(options: MatcherOptions = {}): (a: string, b: string) => boolean {
  return (a, b) => new CompanyMatcher([{ id: 1, name: b }], options).suggest({ id: 1, name: a }) !== null;
}

export function baselinePairDecision(a: string, b: string): boolean {
  return new TrigramTfIdfBaseline([{ id: 1, name: b }]).suggest({ id: 1, name: a }) !== null;
}
