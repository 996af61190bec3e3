/**
 * Low-level text folding shared by names, legal-form terms and identifiers: Unicode compatibility
 * decomposition, accents dropped, lower case, `&` and `+` read as "and", dotted initials joined
 * ("I.B.M." → "ibm"), apostrophes dropped ("Lands' End" → "lands end"), any other punctuation a space.
 */

const MARKS = /\p{M}+/gu;
const APOSTROPHES = /['\u2018\u2019\u02bc`\u00b4]/g;
/**
 * Filing annotations: a jurisdiction or note set off by slashes or backslashes ("/DE/", "\\DE\\",
 * "/Cayman Islands/", "/ADR" at the end), and a trailing parenthesised code such as "(DE)". Two letters at
 * least, so the Scandinavian legal forms "A/S", "K/S" survive.
 */
const SLASH_TAG = /[/\\]\s*\p{L}[\p{L} .]+[/\\]?\s*(?=[/\\]|$)|[/\\]\p{L}{2,3}[/\\](?=\s|$)/gu;
const PAREN_CODE = /\(\s*\p{L}{1,3}\s*\)\s*$/u;
const DOTTED_INITIALS = /(?:^|(?<=[^\p{L}\p{N}]))(?:\p{L}\.){2,}(?!\p{L})/gu;
const AMPERSAND = /[&+]/g;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** Case- and accent-folded text with punctuation kept (input to the steps below). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase().replace(APOSTROPHES, '');
}

/** Words of a name, folded; "&" becomes the word "and". */
export function tokenize(text: string): string[] {
  const folded = foldText(text)
    .replace(SLASH_TAG, ' ')
    .replace(PAREN_CODE, ' ')
    .replace(DOTTED_INITIALS, (m) => m.replace(/\./g, '') + ' ')
    .replace(AMPERSAND, ' and ');
  return joinSingleLetters(folded.split(NOT_WORD).filter((t) => t.length > 0));
}

const SINGLE_LETTER = /^\p{L}$/u;

/** Adjacent single letters are one initialism: "l b foster" → "lb foster", "n v" → "nv". */
function joinSingleLetters(tokens: readonly string[]): string[] {
  const out: string[] = [];
  let lastIsInitials = false;
  for (const t of tokens) {
    const single = SINGLE_LETTER.test(t);
    if (single && lastIsInitials) out[out.length - 1] += t;
    else out.push(t);
    lastIsInitials = single;
  }
  return out;
}

/** Letters and digits only, folded: how ConnectWise-style identifiers are made from a name. */
export function squash(text: string): string {
  return foldText(text).replace(NOT_WORD, '');
}

const ROMAN = /^(?=[ivx]{2,5}$)x{0,3}(?:ix|iv|v?i{0,3})$/;
const ROMAN_VALUES: Readonly<Record<string, number>> = { i: 1, v: 5, x: 10 };
const ORDINAL = /^(\d+)(?:st|nd|rd|th)$/;
const DIGITS = /^\d+$/;

/**
 * The number a word writes, as digits, or null: "12" → "12", "007" → "7", Roman numerals of two letters or
 * more ("ii" → "2", "xiv" → "14"; a lone "i" or "v" is more often an initial), ordinals ("2nd" → "2").
 */
export function numeralValue(token: string): string | null {
  if (DIGITS.test(token)) return String(Number(token));
  if (ROMAN.test(token)) {
    let total = 0;
    for (let i = 0; i < token.length; i++) {
      const v = ROMAN_VALUES[token[i]];
      total += v < (ROMAN_VALUES[token[i + 1]] ?? 0) ? -v : v;
    }
    return String(total);
  }
  const m = ORDINAL.exec(token);
  return m ? String(Number(m[1])) : null;
}
