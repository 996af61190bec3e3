import { type LabelledAccount } from './labelled-sets';

/**
 * Definitions used in BENCHMARKS.md:
 * - precision: correct suggestions / all suggestions (a suggestion for an unmatchable account is wrong);
 * - coverage: correct suggestions / matchable accounts (accounts that have an expected company);
 * - unmatchable suggested: suggestions made for unmatchable accounts / unmatchable accounts.
 */
export interface SuggestionMetrics {
  readonly accounts: number;
  readonly matchable: number;
  readonly suggested: number;
  readonly correct: number;
  readonly precision: number;
  readonly coverage: number;
  readonly unmatchableSuggested: number;
}

export function scoreSuggestions(accounts: readonly LabelledAccount[], suggested: ReadonlyMap<string, string>): SuggestionMetrics {
  let matchable = 0;
  let unmatchable = 0;
  let correct = 0;
  let wrongOnUnmatchable = 0;
  for (const a of accounts) {
    const s = suggested.get(a.id);
    if (a.expected) {
      matchable++;
      if (s !== undefined && s === a.expected) correct++;
    } else {
      unmatchable++;
      if (s !== undefined) wrongOnUnmatchable++;
    }
  }
  const ids = new Set(accounts.map((a) => a.id));
  const n = [...suggested.keys()].filter((id) => ids.has(id)).length;
  return {
    accounts: accounts.length,
    matchable,
    suggested: n,
    correct,
    precision: n > 0 ? correct / n : 1,
    coverage: matchable > 0 ? correct / matchable : 0,
    unmatchableSuggested: unmatchable > 0 ? wrongOnUnmatchable / unmatchable : 0,
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
