import { type Comparison, type Condition, ConditionError, describeLiteral, type Literal, VALUE_FORMAT_GUIDANCE } from './ast';
import { parseConditions } from './parser';

export type ValueKind = 'string' | 'number' | 'boolean' | 'datetime';

/** A condition field resolved against a resource: its canonical path in the record and its type. */
export interface ResolvedField {
  path: readonly string[];
  kind: ValueKind;
}

/** Maps a path as written (any case) to the record's field, or undefined when there is no such field. */
export type FieldResolver = (segments: readonly string[]) => ResolvedField | undefined;

export type RecordPredicate = (record: Readonly<Record<string, unknown>>) => boolean;

const MATCH_ALL: RecordPredicate = () => true;

/** Parses and compiles `conditions` into a predicate; throws ConditionError (→ 400) when it is invalid. */
export function compileConditionString(input: string | undefined, resolve: FieldResolver): RecordPredicate {
  if (input === undefined) return MATCH_ALL;
  const tree = parseConditions(input);
  return tree ? compileConditions(tree, resolve) : MATCH_ALL;
}

export function compileConditions(condition: Condition, resolve: FieldResolver): RecordPredicate {
  if (condition.kind === 'and') {
    const left = compileConditions(condition.left, resolve);
    const right = compileConditions(condition.right, resolve);
    return (record) => left(record) && right(record);
  }
  if (condition.kind === 'or') {
    const left = compileConditions(condition.left, resolve);
    const right = compileConditions(condition.right, resolve);
    return (record) => left(record) || right(record);
  }
  return compileComparison(condition as Comparison, resolve);
}

function compileComparison(comparison: Comparison, resolve: FieldResolver): RecordPredicate {
  const written = comparison.path.join('/');
  const field = resolve(comparison.path);
  if (!field) throw new ConditionError(`Unknown field '${written}' in conditions.`);
  const literals = Array.isArray(comparison.value) ? comparison.value : [comparison.value];
  for (const literal of literals) checkLiteral(field.kind, literal, comparison);
  const test = comparisonTest(comparison, field.kind, literals);
  const path = field.path;
  return (record) => valuesAt(record, path).some(test);
}

function checkLiteral(kind: ValueKind, literal: Literal, comparison: Comparison): void {
  const { operator } = comparison;
  if (operator === 'contains' || operator === 'like') {
    if (kind !== 'string') {
      throw new ConditionError(`The ${operator} operator can only be used with string fields ('${comparison.path.join('/')}').`);
    }
    if (literal.type !== 'string') throw typeMismatch('string', literal);
    return;
  }
  if (literal.type === 'null') {
    if (operator !== '=' && operator !== '!=') {
      throw new ConditionError(`null can only be compared with = or != ('${comparison.path.join('/')}').`);
    }
    return;
  }
  const expected = { string: 'string', number: 'number', boolean: 'boolean', datetime: 'datetime' }[kind];
  if (literal.type !== expected) throw typeMismatch(kind, literal);
  if (kind === 'boolean' && operator !== '=' && operator !== '!=' && operator !== 'in') {
    throw new ConditionError(`Boolean fields can only be compared with = or != ('${comparison.path.join('/')}').`);
  }
}

function typeMismatch(kind: ValueKind, literal: Literal): ConditionError {
  const expected = kind === 'number' ? 'numeric' : kind;
  return new ConditionError(`Expected a ${expected} value, not ${describeLiteral(literal)}. ${VALUE_FORMAT_GUIDANCE}`);
}

/**
 * One value's test. Semantics follow SQL Server, which backs ConnectWise: string comparisons are
 * case-insensitive (the default collation), and a comparison with a missing/null field is never true
 * except `= null` (so `name != "x"` and `name not like "x"` skip records without a name).
 */
function comparisonTest(comparison: Comparison, kind: ValueKind, literals: Literal[]): (value: unknown) => boolean {
  const { operator, negated } = comparison;
  const first = literals[0];
  if (first.type === 'null') {
    return operator === '=' ? (value) => value === undefined || value === null : (value) => value !== undefined && value !== null;
  }
  let test: (value: NonNullable<unknown>) => boolean;
  if (operator === 'contains') {
    const needle = (first as { value: string }).value.toLowerCase();
    test = (value) => asText(value).toLowerCase().includes(needle);
  } else if (operator === 'like') {
    const pattern = likePattern((first as { value: string }).value);
    test = (value) => pattern.test(asText(value));
  } else if (operator === 'in') {
    const wanted = literals.filter((l) => l.type !== 'null').map((l) => comparable(kind, literalValue(l)));
    const hasNull = literals.some((l) => l.type === 'null');
    test = (value) => wanted.includes(comparable(kind, value));
    if (hasNull) {
      return (value) => (value === undefined || value === null ? !negated : negated !== test(value));
    }
  } else {
    const expected = comparable(kind, literalValue(first));
    const compare = ORDERING[operator];
    test = (value) => {
      const actual = comparable(kind, value);
      if (actual === undefined || expected === undefined) return false;
      return compare(actual < expected ? -1 : actual > expected ? 1 : 0);
    };
  }
  return (value) => value !== undefined && value !== null && negated !== test(value);
}

const ORDERING: Record<string, (order: number) => boolean> = {
  '=': (o) => o === 0,
  '!=': (o) => o !== 0,
  '<': (o) => o < 0,
  '<=': (o) => o <= 0,
  '>': (o) => o > 0,
  '>=': (o) => o >= 0,
};

function literalValue(literal: Literal): unknown {
  return literal.type === 'null' ? null : literal.value;
}

function comparable(kind: ValueKind, value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  switch (kind) {
    case 'string':
      return asText(value).toLowerCase();
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return value === true || value === 'true';
    case 'datetime': {
      if (typeof value === 'number') return value;
      const ms = Date.parse(asText(value));
      return Number.isNaN(ms) ? undefined : ms;
    }
  }
}

/** A scalar as text (objects as JSON, never "[object Object]"). */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** `like` patterns: `%` and `*` match any run of characters, `_` any one character (SQL LIKE). */
export function likePattern(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%' || ch === '*') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

/** The values at a path; arrays along the way fan out (a match on any element counts). */
function valuesAt(record: Readonly<Record<string, unknown>>, path: readonly string[]): unknown[] {
  let current: unknown[] = [record];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const item of current) {
      if (item === null || item === undefined) {
        next.push(undefined);
      } else if (Array.isArray(item)) {
        for (const element of item) next.push((element as Record<string, unknown> | null)?.[segment]);
      } else {
        next.push((item as Record<string, unknown>)[segment]);
      }
    }
    current = next.flatMap((value) => (Array.isArray(value) && value.length === 0 ? [undefined] : [value]));
  }
  return current.flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]));
}
