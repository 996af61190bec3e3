import { IDENTIFIER_MAX, type PreparedCompany } from '../index/candidate-index';
import { type TokenWeights } from '../index/token-weights';
import { compareLegalForms, type LegalAgreement } from '../text/legal-forms';
import { isStopword, type NormalizedName, squashWords } from '../text/normalize';
import { expandAcronyms } from './acronym';
import { type Guard, gluedGuard, numbersGuard, numbersOf, type SiteSplit, siteGuard } from './guards';
import { bestMatches, cosine, trigrams, weightedMean } from './similarity';

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
  /** Same words after normalization (any order). */
  readonly sameWords: number;
  /** Same letters once spaces and punctuation are gone ("Wal-Mart" / "Walmart"). */
  readonly sameSquashed: number;
  /** The account's squashed name is the company's ConnectWise identifier (or its truncation, or its core). */
  readonly identifier: number;
  /** An acronym on one side was read as words of the other. */
  readonly acronym: number;
  /** ... and that side had nothing else ("IBM" alone), so no other word backs the match. */
  readonly acronymOnly: number;
  /** Both names carry a legal form and the terms differ ("Inc" / "Corp", "Ltd" / "PLC"; not "Corp." / "Corporation"). */
  readonly legalMismatch: number;
  /** ... and they are of different kinds ("Ltd" / "PLC", "LLC" / "Inc"). */
  readonly legalDifferent: number;
  /** The numbers in the names (digits, Roman numerals II..XXX) differ: "Fund II" vs "Fund", "2" vs "3". */
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
  'acronymOnly',
  'legalMismatch',
  'legalDifferent',
  'numberMismatch',
];

/** What the reason text needs besides the features. */
export interface PairDetails {
  readonly legal: LegalAgreement;
  /** Acronyms read as words; `inCompany` when the words are the company's (the acronym is the account's). */
  readonly acronyms: { acronym: string; words: string[]; inCompany: boolean }[];
  readonly identifierKind: 'none' | 'exact' | 'truncated' | 'core';
  /** A difference that names another entity (numbers, a glued word, another site); see guards.ts. */
  readonly guard: Guard | null;
}

/** What pairFeatures needs about the account and the vocabulary besides the names. */
export interface PairContext {
  readonly accountSite: SiteSplit | null;
  /** Whether a word is known on its own (company names, the partner's account names, common words). */
  readonly isWord: (word: string) => boolean;
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

/** Numbers are cached per name too: a company's are compared with every account it is a candidate for. */
const numbersCache = new WeakMap<NormalizedName, string[]>();
function numbersFor(name: NormalizedName): string[] {
  let n = numbersCache.get(name);
  if (!n) {
    n = numbersOf(name.rawTokens);
    numbersCache.set(name, n);
  }
  return n;
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

/** Words other than stopwords, sorted: equal for "Kimura & Associates" and "Associates Kimura". */
function significantWords(tokens: readonly string[]): string {
  return tokens
    .filter((t) => !isStopword(t))
    .sort()
    .join(' ');
}

/** Joins two adjacent words of one side when the other side writes them as one ("token cat" / "tokencat"). */
function joinAdjacent(words: readonly string[], other: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (i + 1 < words.length && !other.has(words[i]) && other.has(words[i] + words[i + 1])) {
      out.push(words[i] + words[i + 1]);
      i++;
    } else {
      out.push(words[i]);
    }
  }
  return out;
}

function joinCompounds(account: NormalizedName, company: NormalizedName): [readonly string[], readonly string[]] {
  // The same letters once spaces and punctuation go ("NorthwindTraders", "Wal-Mart"): the same words.
  if (account.coreSquashed === company.coreSquashed) return [company.tokens, company.tokens];
  const a2 = joinAdjacent(account.tokens, new Set(company.tokens));
  return [a2, joinAdjacent(company.tokens, new Set(a2))];
}

export function pairFeatures(
  account: NormalizedName,
  accountGrams: Map<string, number>,
  company: PreparedCompany,
  weights: TokenWeights,
  context: PairContext,
): { features: PairFeatures; details: PairDetails } {
  const c = company.name;
  const [accountTokens, companyTokens] = joinCompounds(account, c);
  const a = expandAcronyms(accountTokens, companyTokens);
  const b = expandAcronyms(companyTokens, accountTokens);
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
  const numbers = numbersGuard(numbersFor(account), numbersFor(c));
  const guard = numbers ?? gluedGuard(accountTokens, companyTokens, context.isWord) ?? siteGuard(context.accountSite, company.site);
  const sortedA = significantWords(account.tokens);
  const sortedB = significantWords(c.tokens);
  const acronyms = [...a.expanded.map((e) => ({ ...e, inCompany: true })), ...b.expanded.map((e) => ({ ...e, inCompany: false }))];
  const accountCovered = weightedMean(sa, wa);
  const companyCovered = weightedMean(sb, wb);
  const features: PairFeatures = {
    accountCovered,
    companyCovered,
    bothCovered: Math.min(accountCovered, companyCovered),
    trigram: acronyms.length > 0 ? cosine(trigrams(squashWords(a.tokens)), trigrams(squashWords(b.tokens))) : cosine(accountGrams, gramsFor(c)),
    unmatchedWeight: Math.min(1, unmatched / maxW),
    sameWords: sortedA === sortedB ? 1 : 0,
    sameSquashed: account.coreSquashed === c.coreSquashed || account.tokenSquashed === c.tokenSquashed ? 1 : 0,
    identifier: identifierKind === 'none' ? 0 : 1,
    acronym: acronyms.length > 0 ? 1 : 0,
    acronymOnly: a.onlyAcronyms || b.onlyAcronyms ? 1 : 0,
    legalMismatch: legal === 'same' || legal === 'different' ? 1 : 0,
    legalDifferent: legal === 'different' ? 1 : 0,
    numberMismatch: numbers ? 1 : 0,
  };
  return { features, details: { legal, acronyms, identifierKind, guard } };
}

export function accountGrams(account: NormalizedName): Map<string, number> {
  return trigrams(account.tokenSquashed);
}
