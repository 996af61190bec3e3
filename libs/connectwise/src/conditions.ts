/**
 * Building blocks for ConnectWise `conditions` strings (API-NOTES §5). Values are always written through
 * these helpers, never pasted raw, so a name with a quote cannot change the meaning of a query.
 */

/**
 * A string literal. ConnectWise accepts "…" and '…' but documents no escape inside a value, so a value
 * with a double quote is written in single quotes, and one with both kinds is refused.
 */
export function cwString(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new Error('A ConnectWise condition value cannot contain both single and double quotes');
}

/** `field = value` for a string, number or boolean. */
export function cwEquals(field: string, value: string | number | boolean): string {
  return `${field} = ${cwValue(value)}`;
}

/** `field contains "value"`: a case-insensitive substring match on a string field (API-NOTES §5). */
export function cwContains(field: string, value: string): string {
  return `${field} contains ${cwString(value)}`;
}

/** `field in (1, 2, 3)`. */
export function cwIn(field: string, values: readonly (string | number)[]): string {
  if (values.length === 0) throw new Error('cwIn needs at least one value');
  return `${field} in (${values.map(cwValue).join(', ')})`;
}

/** Joins conditions with `and`, each in parentheses; undefined/empty parts are skipped. */
export function cwAnd(...parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p.trim().length > 0);
  if (kept.length === 0) return undefined;
  return kept.length === 1 ? kept[0] : kept.map((p) => `(${p})`).join(' and ');
}

function cwValue(value: string | number | boolean): string {
  if (typeof value === 'string') return cwString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('A ConnectWise condition number must be finite');
    return String(value);
  }
  return value ? 'true' : 'false';
}
