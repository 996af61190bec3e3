import { ApiError } from '../http/api-error';
import { asText, type FieldResolver, type ResolvedField } from './conditions';

type Row = Readonly<Record<string, unknown>>;
export type RowComparator = (a: Row, b: Row) => number;

const byId: RowComparator = (a, b) => (a.id as number) - (b.id as number);

/**
 * `orderBy=name asc, company/name desc`. Without it, records come in id order. Nulls sort first in
 * ascending order and strings compare case-insensitively, as SQL Server does; ties fall back to id.
 */
export function parseOrderBy(text: string | undefined, resolve: FieldResolver): RowComparator {
  if (text === undefined || text.trim() === '') return byId;
  const keys = text.split(',').map((part) => {
    const tokens = part.trim().split(/\s+/);
    if (tokens.length > 2 || tokens[0] === '') throw ApiError.badRequest(`orderBy '${part.trim()}' is not valid; use "field asc" or "field desc".`);
    const field = resolve(tokens[0].split('/'));
    if (!field) throw ApiError.badRequest(`Unknown field '${tokens[0]}' in orderBy.`);
    const direction = (tokens[1] ?? 'asc').toLowerCase();
    if (direction !== 'asc' && direction !== 'desc') throw ApiError.badRequest(`orderBy direction '${tokens[1]}' is not valid; use asc or desc.`);
    return { field, sign: direction === 'asc' ? 1 : -1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const order = compareValues(valueAt(a, field), valueAt(b, field), field);
      if (order !== 0) return order * sign;
    }
    return byId(a, b);
  };
}

function valueAt(row: Row, field: ResolvedField): unknown {
  let current: unknown = row;
  for (const segment of field.path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function compareValues(a: unknown, b: unknown, field: ResolvedField): number {
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? -1 : 1;
  if (field.kind === 'string') {
    const x = asText(a).toLowerCase();
    const y = asText(b).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (field.kind === 'datetime') return Date.parse(asText(a)) - Date.parse(asText(b));
  if (field.kind === 'boolean') return Number(a) - Number(b);
  return (a as number) - (b as number);
}
