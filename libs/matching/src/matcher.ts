import { CandidateIndex, type PreparedCompany, prepareIdentifier } from './index/candidate-index';
import { TokenWeights } from './index/token-weights';
import { type Calibration, calibratedScore, DEFAULT_CALIBRATION } from './scoring/calibration';
import { accountGrams, type PairDetails, type PairFeatures, pairFeatures } from './scoring/features';
import { describeMatch } from './scoring/reason';
import { type NormalizedName, normalizeName } from './text/normalize';
import {
  type AccountRecord,
  type AccountSuggestion,
  type CompanyRecord,
  type MatcherOptions,
  type RankedCompany,
  type Suggestion,
  type SuggestOptions,
} from './types';

export const DEFAULT_MIN_SCORE = 0.7;
export const DEFAULT_MIN_GAP = 0.15;
const DEFAULT_MAX_CANDIDATES = 30;

/** One scored company for an account, with the evidence behind the score (for tuning and reasons). */
export interface ScoredCandidate {
  readonly company: PreparedCompany;
  readonly score: number;
  readonly features: PairFeatures;
  readonly details: PairDetails;
}

/**
 * Suggests, for a customer account, the ConnectWise company it most likely is — only when the calibrated
 * confidence is high and clearly ahead of the runner-up. Build once per company list; reuse for many accounts.
 */
export class CompanyMatcher {
  private readonly companies: PreparedCompany[];
  private readonly weights: TokenWeights;
  private readonly index: CandidateIndex;
  private readonly minScore: number;
  private readonly minGap: number;
  private readonly maxCandidates: number;

  constructor(
    companies: readonly CompanyRecord[],
    options: MatcherOptions = {},
    private readonly calibration: Calibration = DEFAULT_CALIBRATION,
  ) {
    this.companies = companies.map((record) => ({ record, name: normalizeName(record.name), ...prepareIdentifier(record.identifier ?? '') }));
    this.weights = new TokenWeights(this.companies.map((c) => c.name.tokens));
    this.index = new CandidateIndex(this.companies, this.weights);
    this.minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    this.minGap = options.minGap ?? DEFAULT_MIN_GAP;
    this.maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  }

  /** Candidate companies for an account name, best first, each with its confidence and evidence. */
  rank(accountName: string, limit = this.maxCandidates): ScoredCandidate[] {
    return this.rankName(normalizeName(accountName), limit);
  }

  private rankName(name: NormalizedName, limit: number): ScoredCandidate[] {
    if (name.tokens.length === 0) return [];
    const grams = accountGrams(name);
    const scored = this.index.candidates(name, limit).map((i) => {
      const company = this.companies[i];
      const { features, details } = pairFeatures(name, grams, company, this.weights);
      return { company, score: calibratedScore(features, this.calibration), features, details };
    });
    return scored.sort((a, b) => b.score - a.score);
  }

  /** Ranked companies with reasons, for a review screen; nothing is filtered by confidence. */
  ranked(account: AccountRecord, limit = 5): RankedCompany[] {
    const name = normalizeName(account.name);
    return this.rankName(name, this.maxCandidates)
      .slice(0, limit)
      .map((c) => ({ companyId: c.company.record.id, score: c.score, reason: describeMatch(name, c.company, c.features, c.details) }));
  }

  /** The confident suggestion for one account, or null. */
  suggest(account: AccountRecord, options: SuggestOptions = {}): Suggestion | null {
    const name = normalizeName(account.name);
    const ranked = this.rankName(name, this.maxCandidates);
    const best = ranked[0];
    if (!best) return null;
    const runnerUp = ranked.find((c) => c.company.record.id !== best.company.record.id);
    const runnerUpScore = runnerUp?.score ?? 0;
    if (best.score < this.minScore || best.score - runnerUpScore < this.minGap) return null;
    if (options.exclude?.has(best.company.record.id)) return null;
    const reason = describeMatch(name, best.company, best.features, best.details);
    const suggestion: Suggestion = { companyId: best.company.record.id, score: round(best.score), reason };
    return runnerUp ? { ...suggestion, runnerUpScore: round(runnerUpScore) } : suggestion;
  }

  /** Confident suggestions for many accounts (accounts without one are left out), in input order. */
  suggestAll(accounts: Iterable<AccountRecord>, options: SuggestOptions = {}): AccountSuggestion[] {
    const out: AccountSuggestion[] = [];
    for (const account of accounts) {
      const s = this.suggest(account, options);
      if (s) out.push({ accountId: account.id, ...s });
    }
    return out;
  }
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
