import { CompanyMatcher } from '../src/matcher';
import { type MatcherOptions } from '../src/types';
import { TrigramTfIdfBaseline } from './baseline';
import { type LabelledPair, type LabelledSet } from './labelled-sets';
import { scoreSuggestions, type SuggestionMetrics } from './metrics';

export interface SetResult {
  readonly metrics: SuggestionMetrics;
  /** Share of matchable accounts whose expected company ranked first (suggested or not). */
  readonly top1: number;
  readonly seconds: number;
}

/** Runs our matcher over a labelled set (index build included in the time). */
export function evaluateMatcher(set: LabelledSet, options: MatcherOptions = {}): SetResult {
  const t0 = process.hrtime.bigint();
  const matcher = new CompanyMatcher(set.companies, options);
  const suggested = new Map<string, string>();
  for (const s of matcher.suggestAll(set.accounts)) suggested.set(String(s.accountId), String(s.companyId));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let top = 0;
  const matchable = set.accounts.filter((a) => a.expected);
  for (const a of matchable) {
    const best = matcher.rank(a.name, 30)[0];
    if (best && String(best.company.record.id) === a.expected) top++;
  }
  return { metrics: scoreSuggestions(set.accounts, suggested), top1: matchable.length ? top / matchable.length : 0, seconds };
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
