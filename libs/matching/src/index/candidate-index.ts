import { initialismKeys, mayBeAcronym } from '../scoring/acronym';
import { type SiteSplit } from '../scoring/guards';
import { type NormalizedName } from '../text/normalize';
import { isSquashedLegalForm } from '../text/legal-forms';
import { squash } from '../text/tokenize';
import { type CompanyRecord } from '../types';
import { type TokenWeights } from './token-weights';

/** A company with everything the index and the scorer need, computed once. */
export interface PreparedCompany {
  readonly record: CompanyRecord;
  readonly name: NormalizedName;
  /** Identifier folded to lower-case letters and digits ('' when absent). */
  readonly identifier: string;
  /** Identifier without a leading "the" and a trailing legal form ("TheCocaColaCompany" → "cocacola"). */
  readonly identifierCore: string;
  /** The name's site part ("Hope Center – Uptown"), when it sets one off. */
  readonly site: SiteSplit | null;
}

/** ConnectWise identifiers are cut at this length. */
export const IDENTIFIER_MAX = 25;

export function prepareIdentifier(identifier: string): { identifier: string; identifierCore: string } {
  const id = squash(identifier).slice(0, IDENTIFIER_MAX);
  let core = id.startsWith('the') && id.length > 6 ? id.slice(3) : id;
  for (let cut = 0; cut < 2; cut++) {
    let best = 0;
    for (let k = Math.min(core.length - 3, 30); k >= 2; k--) {
      if (isSquashedLegalForm(core.slice(core.length - k))) {
        best = k;
        break;
      }
    }
    if (best === 0) break;
    core = core.slice(0, core.length - best);
  }
  return { identifier: id, identifierCore: core };
}

/** Index tuning: see README "How it works". */
const TOKEN_DF_SHARE = 0.02;
const TOKEN_DF_MIN = 200;
const GRAM_DF_SHARE = 0.02;
const GRAM_DF_MIN = 100;
const MAX_QUERY_GRAMS = 16;
const GRAM_FACTOR = 0.25;
const KEY_POSTINGS_MAX = 64;
const EXACT_BONUS = 1000;

function addPosting(map: Map<string, number[]>, key: string, doc: number): void {
  if (key.length === 0) return;
  const list = map.get(key);
  if (list === undefined) map.set(key, [doc]);
  else if (list[list.length - 1] !== doc) list.push(doc);
}

function gramsOf(squashed: string): string[] {
  const padded = `#${squashed}#`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

/**
 * Inverted indexes over the companies, so each account is compared with a few dozen companies instead of
 * all of them: words (pruned: very frequent words are skipped), character trigrams of the squashed name
 * (only the rarest few of the account's are looked up), and exact keys (squashed name, identifier,
 * initialisms) that always make a company a candidate.
 */
export class CandidateIndex {
  private readonly tokens = new Map<string, number[]>();
  private readonly grams = new Map<string, number[]>();
  private readonly exact = new Map<string, number[]>();
  private readonly initials = new Map<string, number[]>();
  private readonly scores: Float64Array;
  private readonly tokenDfMax: number;
  private readonly gramDfMax: number;
  private readonly n: number;

  constructor(
    companies: readonly PreparedCompany[],
    private readonly weights: TokenWeights,
  ) {
    companies.forEach((c, i) => {
      for (const t of c.name.tokens) addPosting(this.tokens, t, i);
      for (const g of gramsOf(c.name.tokenSquashed)) addPosting(this.grams, g, i);
      for (const k of new Set([c.name.coreSquashed, c.name.tokenSquashed, c.identifier, c.identifierCore])) addPosting(this.exact, k, i);
      for (const k of initialismKeys(c.name.tokens)) addPosting(this.initials, k, i);
    });
    this.n = companies.length;
    this.scores = new Float64Array(this.n);
    this.tokenDfMax = Math.max(TOKEN_DF_MIN, this.n * TOKEN_DF_SHARE);
    this.gramDfMax = Math.max(GRAM_DF_MIN, this.n * GRAM_DF_SHARE);
  }

  /** Indices of the companies most worth re-scoring for this account name, best first. */
  candidates(account: NormalizedName, limit: number): number[] {
    const scores = this.scores;
    const touched: number[] = [];
    const bump = (doc: number, by: number): void => {
      if (scores[doc] === 0) touched.push(doc);
      scores[doc] += by;
    };

    const exactKeys = new Set([account.coreSquashed, account.tokenSquashed, account.fullSquashed.slice(0, IDENTIFIER_MAX)]);
    for (const k of exactKeys) for (const d of this.exact.get(k) ?? []) bump(d, EXACT_BONUS);

    const acronymKeys = new Set<string>(account.tokens.filter(mayBeAcronym));
    if (mayBeAcronym(account.coreSquashed)) acronymKeys.add(account.coreSquashed);
    if (account.tokens.some((t) => t.length === 1)) for (const k of initialismKeys(account.tokens)) acronymKeys.add(k);
    for (const k of acronymKeys) {
      const list = this.initials.get(k);
      if (list && list.length <= KEY_POSTINGS_MAX) for (const d of list) bump(d, EXACT_BONUS / 2);
    }

    const words = [...new Set(account.tokens)].sort((a, b) => this.weights.documentFrequency(a) - this.weights.documentFrequency(b));
    words.forEach((t, i) => {
      const list = this.tokens.get(t);
      if (!list || (list.length > this.tokenDfMax && i > 0)) return;
      const w = this.weights.weight(t);
      for (const d of list) bump(d, w);
    });

    const grams = gramsOf(account.tokenSquashed)
      .map((g) => ({ g, list: this.grams.get(g) }))
      .filter((x): x is { g: string; list: number[] } => x.list !== undefined && x.list.length <= this.gramDfMax)
      .sort((a, b) => a.list.length - b.list.length)
      .slice(0, MAX_QUERY_GRAMS);
    for (const { list } of grams) {
      const w = GRAM_FACTOR * Math.log(this.n / list.length + 1);
      for (const d of list) bump(d, w);
    }

    touched.sort((a, b) => scores[b] - scores[a]);
    const result = touched.slice(0, limit);
    for (const d of touched) scores[d] = 0;
    return result;
  }
}
