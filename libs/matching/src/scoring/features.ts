import { IDENTIFIER_MAX, type PreparedCompany } from '../index/candidate-index';
import { type TokenWeights } from '../index/token-weights';
import { compareLegalForms, type LegalAgreement } from '../text/legal-forms';
import { type NormalizedName } from '../text/normalize';
import { expandAcronyms } from './acronym';
import { bestMatches, cosine, isNumeric, trigrams, weightedMean } from './similarity';

/** Evidence about one (account, company) pair; every number in 0..1. */
export interface PairFeatures {
  /** Monge-Elkan (IDF-weighted, Jaro-Winkler inside): how well the account's words are found in the company's. */
  readonly accountCovered: number;
  /** The same, company's words found in the account's. */
  readonly companyCovered: number;
  /** min(accountCovered, companyCovered): both names explained by the other. */
  readonly bothCovered: number;
  /** Character-trigram cosine of the squashed, expanded names. */
  readonly trigram: number;
  /** Weight share of the heaviest word (either side) with no counterpart, relative to the heaviest possible word. */
  readonly unmatchedWeight: number;
  /** Same words after normalisation (any order). */
  readonly sameWords: number;
  /** Same letters once spaces and punctuation are gone ("Wal-Mart" / "Walmart"). */
  readonly sameSquashed: number;
  /** The account's squashed name is the company's ConnectWise identifier (or its truncation, or its core). */
  readonly identifier: number;
  /** An acronym on one side was read as words of the other. */
  readonly acronym: number;
  readonly legalSame: number;
  readonly legalDifferent: number;
  /** Both names carry numbers and they differ ("Fund II" vs "Fund III" shows in words; "2" vs "3" here). */
  readonly numberMismatch: number;
}

export const FEATURE_NAMES: readonly (keyof PairFeatures)[] = [
  'accountCovered',
  'companyCovered',
  'bothCovered',
  'trigram',
  'unmatchedWeight',
  'sameWords',
  'sameSquashed',
  'identifier',
  'acronym',
  'legalSame',
  'legalDifferent',
  'numberMismatch',
];

/** What the reason text needs besides the features. */
export interface PairDetails {
  readonly legal: LegalAgreement;
  readonly acronyms: { acronym: string; words: string[] }[];
  readonly identifierKind: 'none' | 'exact' | 'truncated' | 'core';
}

/** Gram maps are cached per company name; accounts are scored against a few dozen companies each. */
const gramCache = new WeakMap<NormalizedName, Map<string, number>>();
function gramsFor(name: NormalizedName): Map<string, number> {
  let g = gramCache.get(name);
  if (!g) {
    g = trigrams(name.tokenSquashed);
    gramCache.set(name, g);
  }
  return g;
}

function identifierMatch(account: NormalizedName, company: PreparedCompany): PairDetails['identifierKind'] {
  const id = company.identifier;
  if (id.length === 0) return 'none';
  const full = account.fullSquashed;
  if (full === id || (id.length === IDENTIFIER_MAX && full.length > IDENTIFIER_MAX && full.startsWith(id))) {
    return full === id ? 'exact' : 'truncated';
  }
  const core = company.identifierCore;
  if (core.length >= 3 && (account.coreSquashed === core || account.tokenSquashed === core || full === core)) return 'core';
  return 'none';
}

function numbers(tokens: readonly string[]): string[] {
  return tokens.filter(isNumeric);
}

export function pairFeatures(
  account: NormalizedName,
  accountGrams: Map<string, number>,
  company: PreparedCompany,
  weights: TokenWeights,
): { features: PairFeatures; details: PairDetails } {
  const c = company.name;
  const a = expandAcronyms(account.tokens, c.tokens);
  const b = expandAcronyms(c.tokens, account.tokens);
  const wa = a.tokens.map((t) => weights.weight(t));
  const wb = b.tokens.map((t) => weights.weight(t));
  const sa = bestMatches(a.tokens, b.tokens);
  const sb = bestMatches(b.tokens, a.tokens);
  const maxW = weights.maxWeight;
  let unmatched = 0;
  sa.forEach((s, i) => (unmatched = Math.max(unmatched, (1 - s) * wa[i])));
  sb.forEach((s, i) => (unmatched = Math.max(unmatched, (1 - s) * wb[i])));

  const legal = compareLegalForms(account.legalForms, c.legalForms);
  const identifierKind = identifierMatch(account, company);
  const na = numbers(account.tokens);
  const nb = numbers(c.tokens);
  const sortedA = [...account.tokens].sort().join(' ');
  const sortedB = [...c.tokens].sort().join(' ');
  const acronyms = [...a.expanded, ...b.expanded];
  const accountCovered = weightedMean(sa, wa);
  const companyCovered = weightedMean(sb, wb);
  const features: PairFeatures = {
    accountCovered,
    companyCovered,
    bothCovered: Math.min(accountCovered, companyCovered),
    trigram: cosine(accountGrams, gramsFor(c)),
    unmatchedWeight: Math.min(1, unmatched / maxW),
    sameWords: sortedA === sortedB ? 1 : 0,
    sameSquashed: account.coreSquashed === c.coreSquashed || account.tokenSquashed === c.tokenSquashed ? 1 : 0,
    identifier: identifierKind === 'none' ? 0 : 1,
    acronym: acronyms.length > 0 ? 1 : 0,
    legalSame: legal === 'same' ? 1 : 0,
    legalDifferent: legal === 'different' ? 1 : 0,
    numberMismatch: na.length > 0 && nb.length > 0 && na.join(' ') !== nb.join(' ') ? 1 : 0,
  };
  return { features, details: { legal, acronyms, identifierKind } };
}

export function accountGrams(account: NormalizedName): Map<string, number> {
  return trigrams(account.tokenSquashed);
}
