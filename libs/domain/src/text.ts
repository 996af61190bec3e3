/**
 * Text fitting for ConnectWise's bounded string fields.
 */
const ELLIPSIS = '\u2026';

/** Within this many characters of the limit, a cut moves back to the last space so no word is split. */
const WORD_BOUNDARY_WINDOW = 15;

/** Removes control characters (newlines, tabs…) and runs of spaces: for one-line fields. */
export function toSingleLine(text: string): string {
  return replaceControlCharacters(text, ' ').replace(/\s+/g, ' ').trim();
}

/** Whether a character is a C0 control character or DEL. */
export function isControlCharacter(char: string): boolean {
  const code = char.charCodeAt(0);
  return code <= 0x1f || code === 0x7f;
}

/** Replaces every control character with `replacement`. */
export function replaceControlCharacters(text: string, replacement: string): string {
  let out = '';
  for (const char of text) out += isControlCharacter(char) ? replacement : char;
  return out;
}

/** Cuts `text` to at most `max` UTF-16 code units (what .NET counts), never inside a surrogate pair, ending in an ellipsis when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return cutAtCodePoint(text, max);
  let cut = cutAtCodePoint(text, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  if (lastSpace > 0 && lastSpace >= cut.length - WORD_BOUNDARY_WINDOW) cut = cut.slice(0, lastSpace);
  return `${cut.trimEnd()}${ELLIPSIS}`;
}

/** The longest prefix of `text` of at most `max` code units that does not end in half a surrogate pair. */
export function cutAtCodePoint(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
