import type { FieldMap } from '../resources/field-spec';
import type { FieldResolver, ResolvedField, ValueKind } from './conditions';

const KIND: Record<string, ValueKind | undefined> = {
  string: 'string',
  enum: 'string',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  datetime: 'datetime',
};

const INFO_FIELDS: Record<string, ResolvedField> = {
  lastupdated: { path: ['_info', 'lastUpdated'], kind: 'datetime' },
  dateentered: { path: ['_info', 'dateEntered'], kind: 'datetime' },
  updatedby: { path: ['_info', 'updatedBy'], kind: 'string' },
  enteredby: { path: ['_info', 'enteredBy'], kind: 'string' },
};

/**
 * Resolves condition and orderBy field paths against a resource's fields. Names match
 * case-insensitively (`Board/Id`, `ClosedFlag` in ConnectWise's own examples). A reference is
 * reached through its members (`company/id`, `company/name`, `company/identifier`); `lastUpdated`
 * is the entity's `_info/lastUpdated`.
 */
export function fieldResolver(fields: FieldMap): FieldResolver {
  const byLowerName = new Map(Object.keys(fields).map((name) => [name.toLowerCase(), name]));
  const cache = new Map<string, ResolvedField | undefined>();
  return (segments) => {
    const key = segments.join('/').toLowerCase();
    if (cache.has(key)) return cache.get(key);
    const resolved = resolve(segments.map((s) => s.toLowerCase()));
    cache.set(key, resolved);
    return resolved;
  };

  function resolve(segments: string[]): ResolvedField | undefined {
    const [head, ...rest] = segments;
    if (head === '_info' && rest.length === 1) return INFO_FIELDS[rest[0]];
    if (rest.length === 0 && INFO_FIELDS[head] && !byLowerName.has(head)) return INFO_FIELDS[head];
    const name = byLowerName.get(head);
    if (!name) return undefined;
    const spec = fields[name];
    if (rest.length === 0) {
      const kind = KIND[spec.kind];
      return kind ? { path: [name], kind } : undefined;
    }
    if ((spec.kind === 'ref' || spec.kind === 'refList') && rest.length === 1) {
      const member = rest[0];
      if (member === 'id') return { path: [name, 'id'], kind: 'number' };
      const shown = spec.ref?.show.find((s) => s.toLowerCase() === member);
      return shown ? { path: [name, shown], kind: 'string' } : undefined;
    }
    return undefined;
  }
}
