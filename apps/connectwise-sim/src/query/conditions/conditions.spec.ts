import { ConditionError, VALUE_FORMAT_GUIDANCE } from './ast';
import { compileConditionString, type FieldResolver, likePattern } from './evaluate';
import { parseConditions } from './parser';

const FIELDS: Record<string, { path: string[]; kind: 'string' | 'number' | 'boolean' | 'datetime' }> = {
  id: { path: ['id'], kind: 'number' },
  name: { path: ['name'], kind: 'string' },
  identifier: { path: ['identifier'], kind: 'string' },
  quantity: { path: ['quantity'], kind: 'number' },
  closedflag: { path: ['closedFlag'], kind: 'boolean' },
  lastupdated: { path: ['_info', 'lastUpdated'], kind: 'datetime' },
  'company/id': { path: ['company', 'id'], kind: 'number' },
  'company/name': { path: ['company', 'name'], kind: 'string' },
  'types/name': { path: ['types', 'name'], kind: 'string' },
};
const resolve: FieldResolver = (segments) => FIELDS[segments.join('/').toLowerCase()];

const rows = [
  { id: 1, name: 'Acme Corporation', identifier: 'AcmeCorp', quantity: 10, closedFlag: false, _info: { lastUpdated: '2024-01-10T00:00:00Z' }, company: { id: 7, name: 'Acme' }, types: [{ name: 'Client' }] },
  { id: 2, name: "O'Neil & Sons", identifier: 'ONeil', quantity: 2.5, closedFlag: true, _info: { lastUpdated: '2024-06-01T12:00:00Z' }, company: { id: 8, name: 'Neil' }, types: [{ name: 'Vendor' }, { name: 'Client' }] },
  { id: 3, name: 'Globex', identifier: 'Globex_1', quantity: -4, closedFlag: false, company: { id: 7, name: 'Acme' }, types: [] },
  { id: 4, identifier: 'NoName', quantity: 0, closedFlag: true, _info: { lastUpdated: '2025-01-01T00:00:00Z' } },
];

const ids = (conditions: string): number[] => {
  const predicate = compileConditionString(conditions, resolve);
  return rows.filter(predicate).map((r) => r.id);
};

const errorOf = (conditions: string): string => {
  try {
    compileConditionString(conditions, resolve);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionError);
    return (error as Error).message;
  }
  throw new Error(`expected "${conditions}" to be rejected`);
};

describe('conditions: comparisons', () => {
  it.each([
    ['id = 1', [1]],
    ['id != 1', [2, 3, 4]],
    ['id < 3', [1, 2]],
    ['id <= 3', [1, 2, 3]],
    ['id > 3', [4]],
    ['id >= 3', [3, 4]],
    ['quantity = 2.5', [2]],
    ['quantity < -1', [3]],
    ['quantity = -4', [3]],
    ['quantity > -4.5', [1, 2, 3, 4]],
    ['quantity >= .5', [1, 2]],
  ])('%s', (conditions, expected) => expect(ids(conditions)).toEqual(expected));

  it('compares strings case-insensitively (SQL Server default collation)', () => {
    expect(ids('name = "acme corporation"')).toEqual([1]);
    expect(ids("identifier = 'ACMECORP'")).toEqual([1]);
    expect(ids('name > "b"')).toEqual([2, 3]);
  });

  it('accepts single and double quotes, and a doubled quote inside', () => {
    expect(ids(`name = 'O''Neil & Sons'`)).toEqual([2]);
    expect(ids(`name = "O'Neil & Sons"`)).toEqual([2]);
    expect(ids(`name = "say ""hi"""`)).toEqual([]);
  });

  it('contains, like with % and * wildcards, _ as one character', () => {
    expect(ids('name contains "corp"')).toEqual([1]);
    expect(ids('name like "acme%"')).toEqual([1]);
    expect(ids('name like "*BEX"')).toEqual([3]);
    expect(ids('name like "%neil%"')).toEqual([2]);
    expect(ids('identifier like "Globex_1"')).toEqual([3]);
    expect(ids('identifier like "Glob_x%"')).toEqual([3]);
    expect(ids('name like "Acme"')).toEqual([]);
  });

  it('not contains / not like / not in skip records where the field is null', () => {
    expect(ids('name not contains "corp"')).toEqual([2, 3]);
    expect(ids('name NOT LIKE "acme%"')).toEqual([2, 3]);
    expect(ids('id not in (1, 2)')).toEqual([3, 4]);
    expect(ids('name != "Globex"')).toEqual([1, 2]);
  });

  it('in lists of numbers and strings', () => {
    expect(ids('id in (1,3)')).toEqual([1, 3]);
    expect(ids('identifier IN ("acmecorp", \'globex_1\')')).toEqual([1, 3]);
    expect(ids('company/id in (8)')).toEqual([2]);
  });

  it('booleans, case-insensitive keywords', () => {
    expect(ids('closedFlag = true')).toEqual([2, 4]);
    expect(ids('ClosedFlag = False')).toEqual([1, 3]);
    expect(ids('closedflag != TRUE')).toEqual([1, 3]);
  });

  it('null', () => {
    expect(ids('name = null')).toEqual([4]);
    expect(ids('name != NULL')).toEqual([1, 2, 3]);
    expect(ids('lastUpdated = null')).toEqual([3]);
    expect(ids('company/name = null')).toEqual([4]);
  });

  it('datetimes in square brackets', () => {
    expect(ids('lastUpdated > [2024-03-01T00:00:00Z]')).toEqual([2, 4]);
    expect(ids('lastUpdated < [2024-06-01T12:00:00Z]')).toEqual([1]);
    expect(ids('lastUpdated <= [2024-06-01T12:00:00Z]')).toEqual([1, 2]);
    expect(ids('lastUpdated >= [2025-01-01]')).toEqual([4]);
    expect(ids('lastUpdated = [2024-06-01T14:00:00+02:00]')).toEqual([2]);
  });

  it('reference paths and arrays of references', () => {
    expect(ids('company/id = 7')).toEqual([1, 3]);
    expect(ids('Company/Name = "NEIL"')).toEqual([2]);
    expect(ids('types/name = "client"')).toEqual([1, 2]);
  });
});

describe('conditions: logic', () => {
  it('and binds tighter than or', () => {
    // id = 4 or (id = 1 and closedFlag = true) → only 4
    expect(ids('id = 4 or id = 1 and closedFlag = true')).toEqual([4]);
    expect(ids('(id = 4 or id = 1) and closedFlag = true')).toEqual([4]);
    expect(ids('id = 1 and closedFlag = false or id = 2')).toEqual([1, 2]);
  });

  it('AND/OR/And in any case, nested parentheses, extra spaces', () => {
    expect(ids('  ( (id=1) OR (id=2) )  And  quantity>5 ')).toEqual([1]);
    expect(ids('id = 1 Or id = 3 oR id = 4')).toEqual([1, 3, 4]);
  });

  it('the README example of connectwise-rest parses', () => {
    const tree = parseConditions(
      '(company/name like "Ac%" and closedFlag = false) and lastUpdated > [2015-12-23T05:53:27Z] or name contains "test" AND  name != "Some Summary"',
    );
    expect(tree?.kind).toBe('or');
    expect(ids('(company/name like "Ac%" and closedFlag = false) and lastUpdated > [2015-12-23T05:53:27Z] or name contains "test"')).toEqual([1]);
  });

  it('an empty string filters nothing', () => {
    expect(ids('')).toEqual([1, 2, 3, 4]);
    expect(ids('   ')).toEqual([1, 2, 3, 4]);
  });
});

describe('conditions: errors', () => {
  it('a value of the wrong type names the expected type and the value rules', () => {
    expect(errorOf('closedFlag = 1')).toBe(`Expected a boolean value, not a numeric. ${VALUE_FORMAT_GUIDANCE}`);
    expect(errorOf('id = "1"')).toBe(`Expected a numeric value, not a string. ${VALUE_FORMAT_GUIDANCE}`);
    expect(errorOf('name = 5')).toMatch(/^Expected a string value, not a numeric\./);
    expect(errorOf('lastUpdated > "2024-01-01"')).toMatch(/^Expected a datetime value, not a string\./);
    expect(errorOf('closedFlag = [2024-01-01]')).toMatch(/^Expected a boolean value, not a datetime\./);
  });

  it.each([
    ['name = Acme', /Expected a value at position 7, not 'Acme'/],
    ['name = "Acme', /Unterminated string/],
    ["name = 'Acme", /Unterminated string/],
    ['lastUpdated > [2024-01-01', /Unterminated DateTime/],
    ['lastUpdated > [yesterday]', /Invalid DateTime value \[yesterday\]/],
    ['id = 12abc', /Invalid numeric value '12abc'/],
    ['id = 1.2.3', /Invalid numeric value/],
    ['id = ', /Unexpected end of conditions; expected a value/],
    ['id 1', /Expected an operator/],
    ['id == 1', /Expected a value/],
    ['id = 1 and', /Unexpected end of conditions; expected a field name/],
    ['id = 1 id = 2', /Unexpected 'id'/],
    ['(id = 1', /Missing '\)'/],
    ['id = 1)', /Unexpected '\)'/],
    ['id in 1, 2', /Expected '\(' after IN/],
    ['id in (1, 2', /Missing '\)' to close the IN list/],
    ['id in ()', /Expected a value/],
    ['name not = "x"', /CONTAINS, LIKE or IN after NOT/],
    ['and = 1', /Expected a field name/],
    ['id = 1 # 2', /Unexpected character '#'/],
    ['= 1', /Expected a field name/],
  ])('%s', (conditions, message) => {
    expect(errorOf(conditions)).toMatch(message);
  });

  it('unknown fields and operators that do not fit the field', () => {
    expect(errorOf('nope = 1')).toBe("Unknown field 'nope' in conditions.");
    expect(errorOf('company = 1')).toMatch(/Unknown field 'company'/);
    expect(errorOf('id contains "1"')).toMatch(/contains operator can only be used with string fields/);
    expect(errorOf('name like 5')).toMatch(/Expected a string value, not a numeric/);
    expect(errorOf('closedFlag > true')).toMatch(/Boolean fields can only be compared with = or !=/);
    expect(errorOf('name < null')).toMatch(/null can only be compared with = or !=/);
  });
});

describe('likePattern', () => {
  it('escapes regular-expression characters', () => {
    expect(likePattern('a.b(c)%').test('a.b(c)d')).toBe(true);
    expect(likePattern('a.b').test('axb')).toBe(false);
    expect(likePattern('100$').test('100$')).toBe(true);
  });
});
