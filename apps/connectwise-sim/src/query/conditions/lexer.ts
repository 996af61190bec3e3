import { ConditionError, VALUE_FORMAT_GUIDANCE } from './ast';

export type TokenType =
  | 'word'
  | 'string'
  | 'number'
  | 'datetime'
  | 'operator'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'end';

export interface Token {
  type: TokenType;
  /** For words and operators the text as written; for strings the unquoted value. */
  text: string;
  position: number;
}

const OPERATORS = ['!=', '<=', '>=', '=', '<', '>'];
const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_/.]/;
const DIGIT = /[0-9]/;

/** Splits a `conditions` string into tokens. Keywords stay words; the parser recognises them. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', text: ch, position: start });
      i++;
      continue;
    }
    const operator = OPERATORS.find((op) => input.startsWith(op, i));
    if (operator) {
      tokens.push({ type: 'operator', text: operator, position: start });
      i += operator.length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const { value, end } = readQuoted(input, i);
      tokens.push({ type: 'string', text: value, position: start });
      i = end;
      continue;
    }
    if (ch === '[') {
      const close = input.indexOf(']', i + 1);
      if (close < 0) throw new ConditionError(`Unterminated DateTime value at position ${start}. ${VALUE_FORMAT_GUIDANCE}`);
      tokens.push({ type: 'datetime', text: input.slice(i + 1, close).trim(), position: start });
      i = close + 1;
      continue;
    }
    if (DIGIT.test(ch) || ((ch === '-' || ch === '.') && DIGIT.test(input[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < input.length && /[0-9.]/.test(input[j])) j++;
      // A number glued to letters (e.g. `12abc`) is neither a number nor a field.
      while (j < input.length && WORD_PART.test(input[j])) j++;
      const text = input.slice(i, j);
      if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
        throw new ConditionError(`Invalid numeric value '${text}' at position ${start}. ${VALUE_FORMAT_GUIDANCE}`);
      }
      tokens.push({ type: 'number', text, position: start });
      i = j;
      continue;
    }
    if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < input.length && WORD_PART.test(input[j])) j++;
      tokens.push({ type: 'word', text: input.slice(i, j), position: start });
      i = j;
      continue;
    }
    throw new ConditionError(`Unexpected character '${ch}' at position ${start}. ${VALUE_FORMAT_GUIDANCE}`);
  }
  tokens.push({ type: 'end', text: '', position: input.length });
  return tokens;
}

/**
 * Reads a quoted string. A doubled quote inside stands for one quote character (SQL style,
 * e.g. 'O''Neil'); ConnectWise documents no escape, so this is an unverified choice.
 */
function readQuoted(input: string, start: number): { value: string; end: number } {
  const quote = input[start];
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i];
    if (ch === quote) {
      if (input[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
  throw new ConditionError(`Unterminated string value at position ${start}. ${VALUE_FORMAT_GUIDANCE}`);
}
