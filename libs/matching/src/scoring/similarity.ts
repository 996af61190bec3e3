/**
 * String and token-list similarity measures, each in 0..1.
 * - Jaro-Winkler (Winkler 1990): character agreement within a window, with a bonus for a shared prefix.
 * - Token similarity: exact, initial ("b" ~ "boys"), truncation ("berk" ~ "berkshire"), else Jaro-Winkler above a floor.
 * - Monge-Elkan (Monge & Elkan 1996): each token of one side takes its best match on the other, weighted mean.
 * - Character trigram cosine on the squashed names (handles "wal mart" vs "walmart" and typos).
 */

export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const matchedB = new Uint8Array(lb);
  const matchedA = new Uint8Array(la);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (matchedB[j] === 0 && a.charCodeAt(i) === b.charCodeAt(j)) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Below this Jaro-Winkler, two words are treated as unrelated (0) rather than "a bit alike". */
const JW_FLOOR = 0.86;
/** Similarity credited to a single letter standing for a word with that initial. */
export const INITIAL_SIMILARITY = 0.8;
/** Similarity credited to a word cut short ("berk" for "berkshire", "tech" for "technologies"). */
const TRUNCATION_SIMILARITY = 0.88;

export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 1 || b.length === 1) {
    return a[0] === b[0] && !isDigit(a) && !isDigit(b) ? INITIAL_SIMILARITY : 0;
  }
  if (isNumeric(a) || isNumeric(b)) return 0;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length >= 3 && long.startsWith(short)) return Math.max(TRUNCATION_SIMILARITY, jaroWinkler(a, b));
  const jw = jaroWinkler(a, b);
  return jw >= JW_FLOOR ? jw : 0;
}

function isDigit(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 48 && c <= 57;
}

export function isNumeric(s: string): boolean {
  return /^\d+$/.test(s);
}

/** Per-token best-match similarities of `from` against `to` (the Monge-Elkan inner step). */
export function bestMatches(from: readonly string[], to: readonly string[]): number[] {
  return from.map((a) => {
    let best = 0;
    for (const b of to) {
      const s = tokenSimilarity(a, b);
      if (s > best) best = s;
      if (best === 1) break;
    }
    return best;
  });
}

/** Weighted mean of per-token scores; 0 for an empty list. */
export function weightedMean(scores: readonly number[], weights: readonly number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < scores.length; i++) {
    num += scores[i] * weights[i];
    den += weights[i];
  }
  return den > 0 ? num / den : 0;
}

/** Character trigram counts of a squashed string, padded so short names still have grams. */
export function trigrams(s: string): Map<string, number> {
  const padded = `#${s}#`;
  const grams = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const g = padded.slice(i, i + 3);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [g, x] of a) {
    na += x * x;
    const y = b.get(g);
    if (y !== undefined) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
