import { isStopword, normalizeName } from '../text/normalize';
import { numeralValue } from '../text/tokenize';
import { isNumeric } from './similarity';

/**
 * Differences that name a different entity however alike the rest is. A candidate with one of them keeps a
 * low confidence (GUARDED_SCORE at most): it is shown on review screens with the reason, never suggested,
 * and never blocks a better candidate as runner-up.
 * - numbers: "Harbor Income Fund II" is not "Harbor Income Fund", "Fund 2" not "Fund 3" ("II" = "2", "No. 3" = "3");
 * - glued: a word inside a longer word of the other name ("First" in "Northfirst", "East" in "Eastgate");
 * - site: both names set off a site part and the sites differ ("Hope Center – Uptown" / "Hope Center – Lakeside").
 */
export type GuardKind = 'numbers' | 'glued' | 'site';

export interface Guard {
  readonly kind: GuardKind;
  /** For the reason: "numbers differ ('II' vs none)". */
  readonly text: string;
}

export const GUARDED_SCORE = 0.3;

/** The numbers a name carries, in order, as digits: "Fund II" → ["2"], "Fund No. 3" → ["3"], "2nd" → ["2"]. */
export function numbersOf(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const n = numeralValue(t);
    if (n !== null) out.push(n);
  }
  return out;
}

function shownNumbers(numbers: readonly string[]): string {
  return numbers.length === 0 ? 'none' : `'${numbers.join(' ')}'`;
}

/** `a` and `c`: the numbers of each name (numbersOf of its raw tokens). */
export function numbersGuard(a: readonly string[], c: readonly string[]): Guard | null {
  if (a.length === c.length && a.every((n, i) => n === c[i])) return null;
  return { kind: 'numbers', text: `numbers differ (${shownNumbers(a)} vs ${shownNumbers(c)})` };
}

const MIN_PART = 3;

/**
 * Endings that make a new name of a word they are glued to ("Harbor" → "Harborview", "Oak" → "Oakwood",
 * "Lake" → "Lakeside"): English place-name and compound elements, written for this guard.
 */
const PLACE_ELEMENTS: ReadonlySet<string> = new Set(
  (
    'view wood woods side land lands field fields gate ville ton town brook dale crest ridge way stone water port mont ' +
    'haven point wick worth ford bury bridge hill hills line star light vale wind shore park lake creek mill mills ' +
    'wells berg burg borough ham stead dell glen grove hurst leigh ley moor mouth ness pool shire bay rock spring springs'
  ).split(' '),
);

/**
 * A word of one name inside a longer word of the other: at its end ("first" in "Northfirst"), or at its start
 * with a rest that is a word ("east" + "gate") or a place-name element after a word ("harbor" + "view"): another
 * name, not a spelling of this one. A rest that is neither ("pharma" + "ceuticals", "berk" + "shire" with "berk"
 * no word) reads as an abbreviation and is left to the scorer. `isWord` says whether a word is known on its own
 * (in the company names, the partner's account names or the common-word list).
 */
export function gluedGuard(account: readonly string[], company: readonly string[], isWord: (w: string) => boolean): Guard | null {
  const a = new Set(account);
  const c = new Set(company);
  const check = (from: ReadonlySet<string>, to: ReadonlySet<string>): [string, string] | null => {
    for (const short of from) {
      if (to.has(short) || short.length < MIN_PART || isStopword(short) || isNumeric(short)) continue;
      for (const long of to) {
        if (from.has(long) || long.length < short.length + MIN_PART) continue;
        if (long.endsWith(short) && isWord(short)) return [short, long];
        if (!long.startsWith(short)) continue;
        const rest = long.slice(short.length);
        if (isWord(rest) || (PLACE_ELEMENTS.has(rest) && isWord(short))) return [short, long];
      }
    }
    return null;
  };
  const hit = check(a, c) ?? check(c, a);
  return hit ? { kind: 'glued', text: `'${hit[0]}' is not '${hit[1]}'` } : null;
}

/** A name's site part: what follows " - ", " – ", " — ", ": ", " / " or stands in trailing parentheses. */
export interface SiteSplit {
  /** Significant words of the part before the site. */
  readonly base: readonly string[];
  /** Significant words of the site part. */
  readonly site: readonly string[];
  /** The site part as written. */
  readonly siteText: string;
  /** The base as written. */
  readonly baseText: string;
}

const SITE_SEPARATOR = /\s[-\u2013\u2014]\s|:\s|\s\/\s/;
const TRAILING_PARENS = /^(.*\S)\s*\(([^()]{4,})\)\s*$/;

function significant(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !isStopword(t));
}

export function siteSplit(original: string): SiteSplit | null {
  let baseText: string;
  let siteText: string;
  const parens = TRAILING_PARENS.exec(original);
  const sep = SITE_SEPARATOR.exec(original);
  if (sep && sep.index > 0) {
    baseText = original.slice(0, sep.index).trim();
    siteText = original.slice(sep.index + sep[0].length).trim();
  } else if (parens) {
    baseText = parens[1].trim();
    siteText = parens[2].trim();
  } else {
    return null;
  }
  const base = significant(normalizeName(baseText).tokens);
  const site = significant(normalizeName(siteText).tokens);
  if (base.length === 0 || site.length === 0) return null;
  return { base, site, siteText, baseText };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const s = new Set(a);
  return a.length > 0 && b.every((t) => s.has(t)) && new Set(b).size === s.size;
}

export function siteGuard(account: SiteSplit | null, company: SiteSplit | null): Guard | null {
  if (!account || !company || !sameSet(account.base, company.base)) return null;
  const sites = new Set(company.site);
  if (account.site.some((t) => sites.has(t))) return null;
  return { kind: 'site', text: `another site ('${account.siteText}' vs '${company.siteText}')` };
}
