/**
 * Low-level text folding shared by names, legal-form terms and identifiers: Unicode compatibility
 * decomposition, accents dropped, lower case, `&` and `+` read as "and", dotted initials joined
 * ("I.B.M." → "ibm"), apostrophes dropped ("Lands' End" → "lands end"), any other punctuation a space.
 */

const MARKS = /\p{M}+/gu;
const APOSTROPHES = /['\u2018\u2019\u02bc`\u00b4]/g;
/** SEC-style jurisdiction tags such as "/DE/" or "/ON/", anywhere in the name. */
const JURISDICTION_TAG = /\/[a-z]{2,3}\/?(?=\s|$)/g;
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
    .replace(JURISDICTION_TAG, ' ')
    .replace(DOTTED_INITIALS, (m) => m.replace(/\./g, '') + ' ')
    .replace(AMPERSAND, ' and ');
  return folded.split(NOT_WORD).filter((t) => t.length > 0);
}

/** Letters and digits only, folded: how ConnectWise-style identifiers are made from a name. */
export function squash(text: string): string {
  return foldText(text).replace(NOT_WORD, '');
}
