import { numbersOf } from '../scoring/guards';
import { tokenSimilarity } from '../scoring/similarity';
import { isStopword, type NormalizedName, normalizeName, withoutWords } from '../text/normalize';

/** An (account name, company name) pair the partner decided. */
export interface DecidedPair {
  readonly accountName: string;
  readonly companyName: string;
}

/** A word is learned as naming noise once this many accepted pairs show it. */
export const MIN_PAIRS_TO_LEARN = 2;
/** A word in at least this share (and FREQUENT_MIN) of the partner's account names weighs less. */
const FREQUENT_SHARE = 0.05;
const FREQUENT_MIN = 5;
/** What a frequent word keeps of its weight (the common business words keep 0.35 of theirs). */
export const FREQUENT_FACTOR = 0.35;

/** What the partner's decisions taught, for a reason: "account names add 'csp' (3 accepted pairs)". */
export interface LearnedWord {
  readonly word: string;
  readonly side: 'account' | 'company';
  readonly pairs: number;
}

/**
 * What the matcher learns from one partner, kept explainable:
 * - from accepted pairs, the words the partner's account names add to the company's name ("Harbor Dental CSP"
 *   for "Harbor Dental") or drop from it ("Lakeview" for "Lakeview Group Practice"), once MIN_PAIRS_TO_LEARN
 *   pairs agree: such words are left out of the names before comparing. Numbers never are (they name entities).
 * - from the partner's account names, words frequent across its customers ("cloud" in "Acme – Cloud",
 *   "Bolt – Cloud", ...) weigh less (FREQUENT_FACTOR).
 * Rejected pairs are not learned from here: the matcher gets them per account (`SuggestOptions.rejected`).
 */
export class PartnerKnowledge {
  private readonly accountAdds = new Map<string, number>();
  private readonly accountDrops = new Map<string, number>();
  private readonly frequent = new Map<string, number>();
  private readonly vocabulary = new Set<string>();
  readonly accountNoise: ReadonlySet<string>;
  readonly companyNoise: ReadonlySet<string>;

  static readonly EMPTY = new PartnerKnowledge([], []);

  constructor(accepted: readonly DecidedPair[], accountNames: readonly string[]) {
    for (const pair of accepted) {
      const a = normalizeName(pair.accountName).tokens;
      const c = normalizeName(pair.companyName).tokens;
      for (const w of unmatchedWords(a, c)) this.accountAdds.set(w, (this.accountAdds.get(w) ?? 0) + 1);
      for (const w of unmatchedWords(c, a)) this.accountDrops.set(w, (this.accountDrops.get(w) ?? 0) + 1);
    }
    this.accountNoise = learned(this.accountAdds);
    this.companyNoise = learned(this.accountDrops);

    const df = new Map<string, number>();
    for (const name of accountNames) {
      for (const t of new Set(normalizeName(name).tokens)) {
        this.vocabulary.add(t);
        if (!isStopword(t) && numbersOf([t]).length === 0) df.set(t, (df.get(t) ?? 0) + 1);
      }
    }
    const min = Math.max(FREQUENT_MIN, accountNames.length * FREQUENT_SHARE);
    for (const [t, n] of df) if (n >= min) this.frequent.set(t, n / accountNames.length);
  }

  get isEmpty(): boolean {
    return this.accountNoise.size === 0 && this.companyNoise.size === 0 && this.frequent.size === 0;
  }

  /** Multiplier of a word's weight: FREQUENT_FACTOR for a word frequent across the partner's account names. */
  weightFactor(token: string): number {
    return this.frequent.has(token) ? FREQUENT_FACTOR : 1;
  }

  /** Share of the partner's account names holding the word, when it is frequent there. */
  frequentShare(token: string): number | undefined {
    return this.frequent.get(token);
  }

  /** Whether the word occurs on its own in one of the partner's account names. */
  knowsWord(token: string): boolean {
    return this.vocabulary.has(token);
  }

  /** The account name without the words the partner's account names add. */
  cleanAccount(name: NormalizedName): { name: NormalizedName; learned: LearnedWord[] } {
    const { name: out, dropped } = withoutWords(name, this.accountNoise);
    return { name: out, learned: this.explain(dropped, name, out, 'account') };
  }

  /** The company name without the words the partner's account names drop. */
  cleanCompany(name: NormalizedName): { name: NormalizedName; learned: LearnedWord[] } {
    const { name: out, dropped } = withoutWords(name, this.companyNoise);
    return { name: out, learned: this.explain(dropped, name, out, 'company') };
  }

  private explain(dropped: readonly string[], before: NormalizedName, after: NormalizedName, side: 'account' | 'company'): LearnedWord[] {
    if (dropped.length === 0) return [];
    const kept = new Set(after.tokens);
    const counts = side === 'account' ? this.accountAdds : this.accountDrops;
    return before.tokens.filter((t) => !kept.has(t)).map((word) => ({ word, side, pairs: counts.get(word) ?? 0 }));
  }
}

/** Significant words of `from` with no counterpart in `to` (no equal, initial, truncation or near spelling). */
function unmatchedWords(from: readonly string[], to: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of from) {
    if (isStopword(w) || numbersOf([w]).length > 0) continue;
    if (!to.some((t) => tokenSimilarity(w, t) > 0)) out.add(w);
  }
  return out;
}

function learned(counts: ReadonlyMap<string, number>): ReadonlySet<string> {
  return new Set([...counts].filter(([, n]) => n >= MIN_PAIRS_TO_LEARN).map(([w]) => w));
}

/** Short phrases naming what was learned: "account names add 'csp' (3 accepted pairs)". */
export function describeLearned(words: readonly LearnedWord[]): string[] {
  return words.map((w) => `${w.side === 'account' ? 'account names add' : 'account names drop'} '${w.word}' (${w.pairs} accepted pairs)`);
}
