import { ABBREVIATIONS, LEADING_ABBREVIATIONS, STOPWORDS } from './abbreviations';
import { type LegalForm, splitLegalForms } from './legal-forms';
import { numeralValue, squash, tokenize } from './tokenize';

/** A company or account name prepared for comparison. */
export interface NormalizedName {
  /** The name as given. */
  readonly original: string;
  /** All folded tokens, as written (no abbreviation expansion). */
  readonly rawTokens: readonly string[];
  /**
   * Distinctive part: leading "the" and trailing legal forms removed, abbreviations expanded
   * ("intl" → "international"), then light stemming (plural "s" dropped) — the unit of comparison.
   */
  readonly tokens: readonly string[];
  /** Core words as written (folded, not expanded), one per entry of `tokens`. */
  readonly coreWords: readonly string[];
  /** Trailing legal forms that were peeled off. */
  readonly legalForms: readonly LegalForm[];
  /** Core written without spaces, unexpanded ("Wal-Mart Stores" → "walmartstores"). */
  readonly coreSquashed: string;
  /** Core tokens, expanded and stemmed, stopwords left out, without spaces (for character n-grams). */
  readonly tokenSquashed: string;
  /** The whole name as letters and digits (how an identifier is made from it). */
  readonly fullSquashed: string;
}

/** Light stemmer: drops a plural "s" (not "ss", "us", "is") from words of 4+ letters; "ies" → "y". */
export function stem(token: string): string {
  if (token.length < 4 || !token.endsWith('s')) return token;
  if (token.endsWith('ies') && token.length > 4) return token.slice(0, -3) + 'y';
  if (token.endsWith('ss') || token.endsWith('us') || token.endsWith('is')) return token;
  return token.slice(0, -1);
}

/** Expands one folded token: a numeral as digits ("ii" → "2", "2nd" → "2"), generic abbreviation, then stem. */
export function canonicalToken(token: string): string {
  return numeralValue(token) ?? stem(ABBREVIATIONS[token] ?? token);
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** Words without stopwords, written together ("procter and gamble" → "proctergamble"). */
export function squashWords(tokens: readonly string[]): string {
  const significant = tokens.filter((t) => !isStopword(t));
  return (significant.length > 0 ? significant : tokens).join('');
}

const NUMBER_WORDS: ReadonlySet<string> = new Set(['no', 'nr', 'num', 'number']);

export function normalizeName(name: string): NormalizedName {
  const rawTokens = tokenize(name);
  const withoutArticle = rawTokens.length > 1 && rawTokens[0] === 'the' ? rawTokens.slice(1) : rawTokens;
  const { core: split, forms } = splitLegalForms(withoutArticle);
  // "No. 3", "Nr 3", "Number 3" are "#3": the number names the entity, the word before it does not.
  const core = split.filter((t, i) => !(NUMBER_WORDS.has(t) && i + 1 < split.length && numeralValue(split[i + 1]) !== null));
  const tokens = core.map((t, i) => (i === 0 && LEADING_ABBREVIATIONS[t] ? LEADING_ABBREVIATIONS[t] : canonicalToken(t)));
  return {
    original: name,
    rawTokens,
    tokens,
    coreWords: core,
    legalForms: forms,
    coreSquashed: core.join(''),
    tokenSquashed: squashWords(tokens),
    fullSquashed: squash(name),
  };
}

/**
 * The name without some of its core words (learned noise such as a suffix the partner's naming adds), or the
 * name itself when nothing significant would be left. `dropped` lists the words removed, as written.
 */
export function withoutWords(name: NormalizedName, words: ReadonlySet<string>): { name: NormalizedName; dropped: string[] } {
  if (words.size === 0 || !name.tokens.some((t) => words.has(t))) return { name, dropped: [] };
  const keep = name.tokens.map((t) => !words.has(t));
  const tokens = name.tokens.filter((_, i) => keep[i]);
  if (!tokens.some((t) => !isStopword(t))) return { name, dropped: [] };
  const coreWords = name.coreWords.filter((_, i) => keep[i]);
  return {
    name: { ...name, tokens, coreWords, coreSquashed: coreWords.join(''), tokenSquashed: squashWords(tokens) },
    dropped: name.coreWords.filter((_, i) => !keep[i]),
  };
}
