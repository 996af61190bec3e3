import {
  type Comparison,
  type ComparisonOperator,
  type Condition,
  ConditionError,
  type Literal,
  VALUE_FORMAT_GUIDANCE,
} from './ast';
import { type Token, tokenize } from './lexer';

const KEYWORDS = new Set(['and', 'or', 'not', 'contains', 'like', 'in', 'true', 'false', 'null']);

/**
 * Recursive-descent parser for the `conditions` grammar:
 *
 *   expression := conjunction ( OR conjunction )*
 *   conjunction := primary ( AND primary )*          -- AND binds tighter than OR
 *   primary    := '(' expression ')' | comparison
 *   comparison := field [NOT] operator operand
 *   operator   := = | != | < | <= | > | >= | CONTAINS | LIKE | IN
 *   operand    := literal | '(' literal ( ',' literal )* ')'   -- the list only after IN
 *   literal    := 'string' | "string" | number | [datetime] | TRUE | FALSE | NULL
 *
 * Keywords are case-insensitive. Returns undefined for an empty string (no filter).
 */
export function parseConditions(input: string): Condition | undefined {
  if (input.trim() === '') return undefined;
  return new Parser(tokenize(input)).parseAll();
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Condition {
    const condition = this.expression();
    const next = this.peek();
    if (next.type !== 'end') {
      throw new ConditionError(`Unexpected '${next.text}' at position ${next.position}; expected AND, OR or the end of the conditions.`);
    }
    return condition;
  }

  private expression(): Condition {
    let left = this.conjunction();
    while (this.isKeyword(this.peek(), 'or')) {
      this.index++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.primary();
    while (this.isKeyword(this.peek(), 'and')) {
      this.index++;
      left = { kind: 'and', left, right: this.primary() };
    }
    return left;
  }

  private primary(): Condition {
    const token = this.peek();
    if (token.type === 'lparen') {
      this.index++;
      const inner = this.expression();
      this.expect('rparen', `Missing ')' to close the '(' at position ${token.position}.`);
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Comparison {
    const field = this.next();
    if (field.type !== 'word' || KEYWORDS.has(field.text.toLowerCase())) {
      throw new ConditionError(
        field.type === 'end'
          ? 'Unexpected end of conditions; expected a field name.'
          : `Expected a field name at position ${field.position}, not '${field.text}'.`,
      );
    }
    let negated = false;
    if (this.isKeyword(this.peek(), 'not')) {
      this.index++;
      negated = true;
    }
    const operator = this.operator(negated);
    const value = operator === 'in' ? this.list() : this.literal();
    return { kind: 'comparison', path: field.text.split('/'), operator, negated, value, position: field.position };
  }

  private operator(negated: boolean): ComparisonOperator {
    const token = this.next();
    if (token.type === 'operator' && !negated) return token.text as ComparisonOperator;
    if (token.type === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'contains' || word === 'like' || word === 'in') return word;
    }
    const expected = negated ? 'CONTAINS, LIKE or IN after NOT' : 'an operator (=, !=, <, <=, >, >=, contains, like, in, not)';
    throw new ConditionError(
      token.type === 'end'
        ? `Unexpected end of conditions; expected ${expected}.`
        : `Expected ${expected} at position ${token.position}, not '${token.text}'.`,
    );
  }

  private list(): Literal[] {
    this.expect('lparen', "Expected '(' after IN.");
    const values = [this.literal()];
    while (this.peek().type === 'comma') {
      this.index++;
      values.push(this.literal());
    }
    this.expect('rparen', "Missing ')' to close the IN list.");
    return values;
  }

  private literal(): Literal {
    const token = this.next();
    switch (token.type) {
      case 'string':
        return { type: 'string', value: token.text };
      case 'number':
        return { type: 'number', value: Number(token.text) };
      case 'datetime': {
        const value = parseDateTime(token.text);
        if (value === undefined) {
          throw new ConditionError(`Invalid DateTime value [${token.text}] at position ${token.position}. ${VALUE_FORMAT_GUIDANCE}`);
        }
        return { type: 'datetime', value, text: token.text };
      }
      case 'word': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { type: 'boolean', value: word === 'true' };
        if (word === 'null') return { type: 'null' };
        throw new ConditionError(`Expected a value at position ${token.position}, not '${token.text}'. ${VALUE_FORMAT_GUIDANCE}`);
      }
      case 'end':
        throw new ConditionError(`Unexpected end of conditions; expected a value. ${VALUE_FORMAT_GUIDANCE}`);
      default:
        throw new ConditionError(`Expected a value at position ${token.position}, not '${token.text}'. ${VALUE_FORMAT_GUIDANCE}`);
    }
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'end') this.index++;
    return token;
  }

  private expect(type: Token['type'], message: string): void {
    if (this.peek().type !== type) throw new ConditionError(message);
    this.index++;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.type === 'word' && token.text.toLowerCase() === keyword;
  }
}

/** `[2016-08-20T18:04:26Z]`, `[2016-08-20]`: ISO dates; without a zone they are taken as UTC. */
export function parseDateTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10;
  const iso = text.length === 10 ? `${text}T00:00:00Z` : hasZone ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}
