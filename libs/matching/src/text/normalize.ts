import { ABBREVIATIONS, LEADING_ABBREVIATIONS, STOPWORDS } from './abbreviations';
import { type LegalForm, splitLegalForms } from './legal-forms';
import { squash, tokenize } from './tokenize';

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

/** Expands one folded token: generic abbreviation, then stem. */
export function canonicalToken(token: string): string {
  return stem(ABBREVIATIONS[token] ?? token);
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** Words without stopwords, written together ("procter and gamble" → "proctergamble"). */
export function squashWords(tokens: readonly string[]): string {
  const significant = tokens.filter((t) => !isStopword(t));
  return (significant.length > 0 ? significant : tokens).join('');
}

export function normalizeName(name: string): NormalizedName {
  const rawTokens = tokenize(name);
  const withoutArticle = rawTokens.length > 1 && rawTokens[0] === 'the' ? rawTokens.slice(1) : rawTokens;
  const { core, forms } = splitLegalForms(withoutArticle);
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
