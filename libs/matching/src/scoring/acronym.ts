import { isStopword } from '../text/normalize';

/**
 * Acronyms and initialisms: "ibm" for "international business machines", "pg" for "procter and gamble",
 * "jnj" for "johnson and johnson" ("and" may give "a", "n" or nothing; other small words may give their
 * initial or nothing). Only runs of two or more significant words count.
 */

const MIN_ACRONYM = 2;
const MAX_ACRONYM = 8;
const LETTERS = /^\p{L}+$/u;

export function mayBeAcronym(token: string): boolean {
  return token.length >= MIN_ACRONYM && token.length <= MAX_ACRONYM && LETTERS.test(token);
}

/** Letters a word may contribute to an acronym ('' = it may be skipped). */
function contributions(word: string): string[] {
  if (!isStopword(word)) return [word[0]];
  return word === 'and' ? ['', 'a', 'n'] : ['', word[0]];
}

/**
 * Finds a run of `words` starting at a significant word whose initials spell `acronym`, covering at least two
 * significant words. Returns [start, end) or null.
 */
export function findAcronymRun(acronym: string, words: readonly string[]): [number, number] | null {
  if (!mayBeAcronym(acronym)) return null;
  for (let start = 0; start < words.length; start++) {
    if (isStopword(words[start]) || words[start][0] !== acronym[0]) continue;
    const end = extend(acronym, 0, words, start, 0);
    if (end !== null) return [start, end];
  }
  return null;
}

function extend(acronym: string, pos: number, words: readonly string[], i: number, significant: number): number | null {
  if (pos === acronym.length) return significant >= 2 ? i : null;
  if (i >= words.length) return null;
  for (const c of contributions(words[i])) {
    if (c === '') {
      const end = extend(acronym, pos, words, i + 1, significant);
      if (end !== null) return end;
    } else if (acronym[pos] === c) {
      const end = extend(acronym, pos + 1, words, i + 1, significant + (isStopword(words[i]) ? 0 : 1));
      if (end !== null) return end;
    }
  }
  return null;
}

/** Index keys for a name's initialisms: initials of significant words, of all words, and with "and" as "n". */
export function initialismKeys(words: readonly string[]): string[] {
  const significant = words.filter((w) => !isStopword(w));
  if (significant.length < 2) return [];
  const keys = new Set([
    significant.map((w) => w[0]).join(''),
    words.map((w) => w[0]).join(''),
    words.map((w) => (w === 'and' ? 'n' : w[0])).join(''),
  ]);
  return [...keys].filter((k) => k.length <= MAX_ACRONYM);
}

/**
 * Runs of single letters, possibly joined by small words ("b and g", "p and g" from "P&G"), read as one
 * acronym: returns [start, end, letters] for each run of two or more letters.
 */
function letterRuns(words: readonly string[]): [number, number, string][] {
  const runs: [number, number, string][] = [];
  let i = 0;
  while (i < words.length) {
    if (words[i].length !== 1 || isStopword(words[i])) {
      i++;
      continue;
    }
    let letters = words[i];
    let end = i + 1;
    while (end + 1 < words.length && isStopword(words[end]) && words[end + 1].length === 1) {
      letters += words[end + 1];
      end += 2;
    }
    if (letters.length >= 2) runs.push([i, end, letters]);
    i = end;
  }
  return runs;
}

export interface AcronymExpansion {
  readonly tokens: string[];
  /** The acronym tokens that were expanded, with the words they stand for. */
  readonly expanded: { acronym: string; words: string[] }[];
  /** Whether the name was nothing but acronyms (and small words). */
  readonly onlyAcronyms: boolean;
}

/**
 * Replaces each token of `from` that is not itself a word of `to` but spells the initials of a run of `to`
 * with that run, so the word-level measures can see "pg club" ≈ "procter gamble club".
 */
export function expandAcronyms(from: readonly string[], to: readonly string[]): AcronymExpansion {
  const toSet = new Set(to);
  const fromSet = new Set(from);
  // A run stands for words the other side spells out, and which this side does not also name itself.
  const usable = (run: [number, number] | null): run is [number, number] =>
    run !== null && to.slice(run[0], run[1]).every((w) => (w.length > 1 || isStopword(w)) && (isStopword(w) || !fromSet.has(w)));
  const tokens: string[] = [];
  const expanded: { acronym: string; words: string[] }[] = [];
  let kept = 0;
  const runs = new Map(letterRuns(from).map(([start, end, letters]) => [start, { end, letters }]));
  for (let i = 0; i < from.length; i++) {
    const letterRun = runs.get(i);
    const spelled = letterRun ? findAcronymRun(letterRun.letters, to) : null;
    if (letterRun && usable(spelled)) {
      const words = to.slice(spelled[0], spelled[1]);
      tokens.push(...words);
      expanded.push({ acronym: from.slice(i, letterRun.end).join(' '), words });
      i = letterRun.end - 1;
      continue;
    }
    const t = from[i];
    const run = toSet.has(t) ? null : findAcronymRun(t, to);
    if (usable(run)) {
      const words = to.slice(run[0], run[1]);
      tokens.push(...words);
      expanded.push({ acronym: t, words });
    } else {
      tokens.push(t);
      if (!isStopword(t)) kept++;
    }
  }
  return { tokens, expanded, onlyAcronyms: expanded.length > 0 && kept === 0 };
}
