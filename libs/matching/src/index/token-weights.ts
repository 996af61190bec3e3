import commonWords from '../../lexicon/common-words-dnb.json';
import { canonicalToken, isStopword } from '../text/normalize';

/** Business words that rarely identify a company ("group", "services", "holding", ...), canonicalised. */
const COMMON: ReadonlySet<string> = new Set(commonWords.words.map((w) => canonicalToken(w.word.toLowerCase())));

/** A common business word keeps this share of its IDF; a stopword keeps STOPWORD_WEIGHT outright. */
const COMMON_FACTOR = 0.35;
const STOPWORD_WEIGHT = 0.05;

/**
 * Inverse document frequency of each word over the company names (BM25-style smoothing), so a word
 * that appears in many names ("bank", "capital") weighs less than one that appears in few. Words never
 * seen in a company name get the weight of a word seen once. A fixed list of common business words
 * is damped further, which matters for small company lists where IDF alone says little.
 */
export class TokenWeights {
  private readonly df = new Map<string, number>();
  private readonly n: number;

  /** `factor`: a partner-specific multiplier (words frequent across the partner's account names weigh less). */
  constructor(
    documents: Iterable<readonly string[]>,
    private readonly factor: (token: string) => number = () => 1,
  ) {
    let n = 0;
    for (const doc of documents) {
      n++;
      for (const t of new Set(doc)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.n = n;
  }

  documentFrequency(token: string): number {
    return this.df.get(token) ?? 0;
  }

  get documentCount(): number {
    return this.n;
  }

  /** Plain smoothed IDF, ≥ 0.1. */
  idf(token: string): number {
    const df = Math.max(1, this.documentFrequency(token));
    return Math.max(0.1, Math.log(1 + (this.n - df + 0.5) / (df + 0.5)));
  }

  weight(token: string): number {
    if (isStopword(token)) return STOPWORD_WEIGHT;
    const idf = this.idf(token) * this.factor(token);
    return COMMON.has(token) ? idf * COMMON_FACTOR : idf;
  }

  /** Weight of a word seen once: the most a word can weigh. */
  get maxWeight(): number {
    return this.idf('\u0000');
  }

  isCommon(token: string): boolean {
    return COMMON.has(token) || isStopword(token);
  }
}
