import { CandidateIndex, type PreparedCompany, prepareIdentifier } from './index/candidate-index';
import { TokenWeights } from './index/token-weights';
import { describeLearned, type LearnedWord, PartnerKnowledge } from './learning/partner-knowledge';
import { type Calibration, calibratedScore, DEFAULT_CALIBRATION } from './scoring/calibration';
import { accountGrams, type PairDetails, type PairFeatures, pairFeatures } from './scoring/features';
import { GUARDED_SCORE, type SiteSplit, siteSplit } from './scoring/guards';
import { describeMatch } from './scoring/reason';
import { isStopword, type NormalizedName, normalizeName } from './text/normalize';
import {
  type AccountRecord,
  type AccountSuggestion,
  type AmbiguousMatch,
  type CompanyRecord,
  type MatcherOptions,
  type MatchOutcome,
  type RankedCompany,
  type Suggestion,
  type SuggestionTier,
  type SuggestOptions,
} from './types';

export const DEFAULT_MIN_SCORE = 0.7;
export const DEFAULT_MIN_GAP = 0.15;
/** From this confidence on, a suggestion is `strong` (below: `possible`). */
export const STRONG_SCORE = 0.9;
const DEFAULT_MAX_CANDIDATES = 30;
/**
 * The most a pair of the same words in another order gets ("Warner & Marsh" / "Marsh & Warner"): often a
 * spelling of one name, sometimes another partnership; suggested, but as `possible`, to be checked.
 */
export const REORDERED_SCORE = 0.85;
/** Candidates shown for an ambiguous account. */
const AMBIGUOUS_SHOWN = 5;

/** One scored company for an account, with the evidence behind the score (for tuning and reasons). */
export interface ScoredCandidate {
  readonly company: PreparedCompany;
  /** Calibrated confidence; GUARDED_SCORE at most when `details.guard` names another entity. */
  readonly score: number;
  readonly features: PairFeatures;
  readonly details: PairDetails;
}

/** An account name prepared once: normalized, cleaned of the partner's learned noise, its site part split. */
interface PreparedAccount {
  readonly name: NormalizedName;
  readonly site: SiteSplit | null;
  readonly learned: LearnedWord[];
}

/**
 * Suggests, for a customer account, the ConnectWise company it most likely is — only when the calibrated
 * confidence is high and clearly ahead of the runner-up, no difference names another entity (numbers, a glued
 * word, another site), and no sibling shares the name. Build once per company list (and per partner, with what
 * was learned from it); reuse for many accounts.
 */
export class CompanyMatcher {
  private readonly companies: PreparedCompany[];
  private readonly companyLearned = new Map<PreparedCompany, LearnedWord[]>();
  private readonly weights: TokenWeights;
  private readonly index: CandidateIndex;
  private readonly minScore: number;
  private readonly minGap: number;
  private readonly maxCandidates: number;
  private readonly knowledge: PartnerKnowledge;
  private readonly isWord: (word: string) => boolean;

  constructor(
    companies: readonly CompanyRecord[],
    options: MatcherOptions = {},
    private readonly calibration: Calibration = DEFAULT_CALIBRATION,
  ) {
    this.knowledge = options.knowledge ?? PartnerKnowledge.EMPTY;
    this.companies = companies.map((record) => {
      const { name, learned } = this.knowledge.cleanCompany(normalizeName(record.name));
      const company = { record, name, ...prepareIdentifier(record.identifier ?? ''), site: siteSplit(record.name) };
      if (learned.length > 0) this.companyLearned.set(company, learned);
      return company;
    });
    this.weights = new TokenWeights(
      this.companies.map((c) => c.name.tokens),
      (t) => this.knowledge.weightFactor(t),
    );
    this.index = new CandidateIndex(this.companies, this.weights);
    this.minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    this.minGap = options.minGap ?? DEFAULT_MIN_GAP;
    this.maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
    this.isWord = (w) => this.weights.documentFrequency(w) > 0 || this.weights.isCommon(w) || this.knowledge.knowsWord(w);
  }

  /** Candidate companies for an account name, best first, each with its confidence and evidence. */
  rank(accountName: string, limit = this.maxCandidates): ScoredCandidate[] {
    return this.rankPrepared(this.prepare(accountName), limit);
  }

  private prepare(accountName: string): PreparedAccount {
    const { name, learned } = this.knowledge.cleanAccount(normalizeName(accountName));
    return { name, site: siteSplit(accountName), learned };
  }

  private rankPrepared(account: PreparedAccount, limit: number, rejected?: ReadonlySet<string | number>): ScoredCandidate[] {
    const { name } = account;
    if (name.tokens.length === 0) return [];
    const grams = accountGrams(name);
    const context = { accountSite: account.site, isWord: this.isWord };
    const scored: ScoredCandidate[] = [];
    for (const i of this.index.candidates(name, limit)) {
      const company = this.companies[i];
      if (rejected?.has(company.record.id)) continue;
      const { features, details } = pairFeatures(name, grams, company, this.weights, context);
      const score = calibratedScore(features, this.calibration);
      const cap = details.guard ? GUARDED_SCORE : reordered(features, details) ? REORDERED_SCORE : 1;
      scored.push({ company, score: Math.min(score, cap), features, details });
    }
    return scored.sort((a, b) => b.score - a.score);
  }

  private describe(account: PreparedAccount, c: ScoredCandidate): string {
    const text = describeMatch(account.name, c.company, c.features, c.details);
    return c.details.guard ? `another entity: ${c.details.guard.text} (${text})` : text;
  }

  private toRanked(account: PreparedAccount, c: ScoredCandidate): RankedCompany {
    return { companyId: c.company.record.id, score: round(c.score), reason: this.describe(account, c) };
  }

  /** Ranked companies with reasons, for a review screen; nothing is filtered by confidence. */
  ranked(account: AccountRecord, limit = 5): RankedCompany[] {
    const prepared = this.prepare(account.name);
    return this.rankPrepared(prepared, this.maxCandidates)
      .slice(0, limit)
      .map((c) => this.toRanked(prepared, c));
  }

  /** The confident suggestion for one account, or null (ambiguous accounts included). */
  suggest(account: AccountRecord, options: SuggestOptions = {}): Suggestion | null {
    const outcome = this.match(account, options);
    return outcome.kind === 'suggestion' ? outcome.suggestion : null;
  }

  /** A suggestion, an ambiguity (several companies share the name; candidates shown), or nothing. */
  match(account: AccountRecord, options: SuggestOptions = {}): MatchOutcome {
    const prepared = this.prepare(account.name);
    const ranked = this.rankPrepared(prepared, this.maxCandidates, options.rejected);
    const best = ranked[0];
    if (!best) return { kind: 'none' };
    const ambiguous = this.siblings(prepared, ranked);
    if (ambiguous) return { kind: 'ambiguous', ambiguous };
    const runnerUp = ranked.find((c) => c.company.record.id !== best.company.record.id);
    const runnerUpScore = runnerUp?.score ?? 0;
    if (best.score < this.minScore || options.exclude?.has(best.company.record.id)) return { kind: 'none' };
    if (best.score - runnerUpScore < this.minGap) return this.tie(prepared, ranked) ?? { kind: 'none' };
    const learned = this.learned(prepared, best);
    const reason = learned.length > 0 ? `${this.describe(prepared, best)}; learned: ${learned.join('; ')}` : this.describe(prepared, best);
    const suggestion: Suggestion = {
      companyId: best.company.record.id,
      score: round(best.score),
      tier: tierOf(best),
      reason,
      ...(runnerUp ? { runnerUpScore: round(runnerUpScore) } : {}),
      ...(learned.length > 0 ? { learned } : {}),
    };
    return { kind: 'suggestion', suggestion };
  }

  /** What was learned from the partner and used for this pair, in words. */
  private learned(account: PreparedAccount, best: ScoredCandidate): string[] {
    const out = describeLearned([...account.learned, ...(this.companyLearned.get(best.company) ?? [])]);
    for (const t of new Set([...account.name.tokens, ...best.company.name.tokens])) {
      const share = this.knowledge.frequentShare(t);
      if (share !== undefined) out.push(`'${t}' weighs less (in ${Math.round(share * 100)}% of the partner's account names)`);
    }
    return out;
  }

  /**
   * Sibling sites: the companies (not told apart by a number or a glued word) whose names start with the
   * account's base name. With a site part of its own ("Hope Center – Uptown"), the account is ambiguous when
   * that site picks none or several of two or more such companies. Without one, when its name (two words at
   * least) is extended by a company with a site part ("Hope Center" among "Hope Center", "Hope Center – Uptown",
   * "Hope Center – Lakeside"), or by two or more companies while none has the name itself ("Grace Church" among
   * "Grace Church Northside" and "Grace Church Southside") — unless the account's legal form names one of them
   * ("Entergy Corporation": "Entergy Corp", not "Entergy Arkansas, LLC").
   */
  private siblings(account: PreparedAccount, ranked: readonly ScoredCandidate[]): AmbiguousMatch | null {
    const base = account.site ? account.site.base : significant(account.name.tokens);
    if (base.length === 0 || base.every((t) => this.weights.isCommon(t)) || (!account.site && base.length < 2)) return null;
    const family = ranked.filter((c) => (c.details.guard === null || c.details.guard.kind === 'site') && startsWith(significant(c.company.name.tokens), base));
    if (family.length < 2) return null;
    const baseText = account.site?.baseText ?? account.name.original;
    if (account.site) {
      const site = account.site.site;
      const picks = family.filter((c) => site.every((w) => c.company.name.tokens.includes(w)));
      if (picks.length === 1) return null;
      const shown = picks.length === 0 ? family : picks;
      const why =
        picks.length === 0
          ? `${family.length} companies share the name '${baseText}' and none is the site '${account.site.siteText}'`
          : `${picks.length} companies share the name '${baseText}' and the site '${account.site.siteText}'`;
      return this.ambiguity(account, shown, why);
    }
    const extensions = family.filter((c) => significant(c.company.name.tokens).length > base.length);
    const sites = extensions.some((c) => c.company.site !== null);
    // "Kerr Automotive" among "Kerr Automotive", "Kerr Automotive Systems", "Kerr Automotive International":
    // without site parts, the company of the same name is that name's.
    if (!sites && (extensions.length < 2 || extensions.length < family.length)) return null;
    const legal = (c: ScoredCandidate) => c.details.legal === 'identical' || c.details.legal === 'same';
    const named = family.filter((c) => !extensions.includes(c) && legal(c));
    if (named.length === 1 && !extensions.some(legal)) return null;
    return this.ambiguity(account, family, `${family.length} companies share the name '${baseText}' and the account's name does not say which`);
  }

  /** Best and runner-up too close, both holding the account's whole name (same name, legal forms aside): ambiguous. */
  private tie(account: PreparedAccount, ranked: readonly ScoredCandidate[]): MatchOutcome | null {
    const base = significant(account.name.tokens);
    const close = ranked.filter((c) => c.score >= this.minScore && c.details.guard === null && containsAll(c.company.name.tokens, base));
    if (close.length < 2) return null;
    const why = `${close.length} companies match '${account.name.original}' equally well`;
    return { kind: 'ambiguous', ambiguous: this.ambiguity(account, close, why) };
  }

  private ambiguity(account: PreparedAccount, candidates: readonly ScoredCandidate[], reason: string): AmbiguousMatch {
    return { reason, candidates: candidates.slice(0, AMBIGUOUS_SHOWN).map((c) => this.toRanked(account, c)) };
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

/**
 * `exact` when the names are the same once normalized, in the same order (or the account is the identifier), with
 * the same legal form or none on one side, and no acronym read: "Marsh & Warner" for "Warner & Marsh" is not.
 */
function tierOf(c: ScoredCandidate): SuggestionTier {
  const { features: f, details: d } = c;
  const same = f.sameSquashed === 1 || d.identifierKind === 'exact' || d.identifierKind === 'truncated';
  if (same && (d.legal === 'identical' || d.legal === 'missing') && f.acronym === 0) return 'exact';
  return c.score >= STRONG_SCORE ? 'strong' : 'possible';
}

function reordered(f: PairFeatures, d: PairDetails): boolean {
  return f.sameWords === 1 && f.sameSquashed === 0 && d.identifierKind === 'none';
}

function significant(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !isStopword(t));
}

function containsAll(tokens: readonly string[], words: readonly string[]): boolean {
  return words.every((w) => tokens.includes(w));
}

function startsWith(tokens: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= tokens.length && prefix.every((w, i) => tokens[i] === w);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
