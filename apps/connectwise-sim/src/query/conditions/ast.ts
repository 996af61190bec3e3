/** Syntax tree of a ConnectWise `conditions` expression. */
export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'datetime'; value: number; text: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'like' | 'in';

export interface Comparison {
  kind: 'comparison';
  /** Field path as written, split on `/` (e.g. `company/id` → ['company', 'id']). */
  path: string[];
  operator: ComparisonOperator;
  /** `not contains`, `not like`, `not in`. */
  negated: boolean;
  /** One literal, or the list of an `in (...)`. */
  value: Literal | Literal[];
  position: number;
}

export interface Logical {
  kind: 'and' | 'or';
  left: Condition;
  right: Condition;
}

export type Condition = Comparison | Logical;

/**
 * The guidance ConnectWise appends to its condition errors (quoted in connectwise-rest's README;
 * see shared/connectwise/API-NOTES.md §5).
 */
export const VALUE_FORMAT_GUIDANCE =
  'String values should be enclosed with double or single quotes; DateTime values should be enclosed in square brackets; ' +
  'numbers should consist of only digits, and optionally a decimal point and a negation sign; ' +
  'boolean values should be indicated with the keywords true or false; null values should be indicated by the keyword null.';

/** A malformed or invalid `conditions` string; the HTTP layer answers 400. */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

export function describeLiteral(literal: Literal): string {
  switch (literal.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a numeric';
    case 'datetime':
      return 'a datetime';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
  }
}
