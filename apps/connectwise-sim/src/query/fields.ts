/**
 * Partial responses: `fields=id,name,status/id` keeps only those members (`a/b` reaches into a
 * nested object). Names match case-insensitively; unknown names are ignored.
 */
export function parseFieldList(text: string | undefined): string[][] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => part.split('/'));
}

export function projectFields(record: Readonly<Record<string, unknown>>, paths: readonly string[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of paths) copyPath(record, out, path);
  return out;
}

function copyPath(source: Readonly<Record<string, unknown>>, target: Record<string, unknown>, path: readonly string[]): void {
  const [head, ...rest] = path;
  const key = Object.keys(source).find((k) => k.toLowerCase() === head.toLowerCase());
  if (key === undefined) return;
  const value = source[key];
  if (value === undefined || value === null) return;
  if (rest.length === 0) {
    target[key] = value;
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return;
  const existing = target[key];
  const nested = (typeof existing === 'object' && existing !== null ? existing : {}) as Record<string, unknown>;
  copyPath(value as Record<string, unknown>, nested, rest);
  if (Object.keys(nested).length > 0) target[key] = nested;
}
