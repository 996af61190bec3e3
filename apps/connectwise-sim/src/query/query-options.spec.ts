import { ApiError } from '../http/api-error';
import { bool, int, refs, str } from '../resources/field-spec';
import { fieldResolver } from './field-resolver';
import { parseFieldList, projectFields } from './fields';
import { parseOrderBy } from './order-by';

const resolver = fieldResolver({ id: int(), name: str(), inactiveFlag: bool(), company: refs.company() });
const rows = [
  { id: 1, name: 'beta', company: { id: 9, identifier: 'Z', name: 'Zeta' } },
  { id: 2, name: 'Alpha', company: { id: 3, identifier: 'A', name: 'alpha co' } },
  { id: 3, company: { id: 5, identifier: 'M', name: 'Mid' } },
  { id: 4, name: 'alpha' },
];

describe('field resolver', () => {
  it('matches names case-insensitively and reaches into references', () => {
    expect(resolver(['NAME'])).toEqual({ path: ['name'], kind: 'string' });
    expect(resolver(['Company', 'Id'])).toEqual({ path: ['company', 'id'], kind: 'number' });
    expect(resolver(['company', 'IDENTIFIER'])).toEqual({ path: ['company', 'identifier'], kind: 'string' });
    expect(resolver(['lastUpdated'])).toEqual({ path: ['_info', 'lastUpdated'], kind: 'datetime' });
    expect(resolver(['company'])).toBeUndefined();
    expect(resolver(['company', 'city'])).toBeUndefined();
    expect(resolver(['nope'])).toBeUndefined();
  });
});

describe('orderBy', () => {
  const order = (text?: string) => [...rows].sort(parseOrderBy(text, resolver)).map((r) => r.id);

  it('defaults to id order', () => expect(order(undefined)).toEqual([1, 2, 3, 4]));
  it('asc with nulls first, case-insensitive, ties by id', () => expect(order('name asc')).toEqual([3, 2, 4, 1]));
  it('desc', () => expect(order('name DESC')).toEqual([1, 2, 4, 3]));
  it('several keys and reference paths', () => {
    expect(order('name asc, id desc')).toEqual([3, 4, 2, 1]);
    expect(order('company/name')).toEqual([4, 2, 3, 1]);
  });
  it('rejects unknown fields and directions', () => {
    expect(() => order('nope asc')).toThrow(ApiError);
    expect(() => order('name up')).toThrow(/direction/);
    expect(() => order('name asc extra')).toThrow(ApiError);
  });
});

describe('fields', () => {
  const record = { id: 1, name: 'x', status: { id: 2, name: 'Active', _info: { status_href: 'h' } }, company: { id: 3, name: 'c' } };

  it('keeps the listed members, nested with a/b, case-insensitively', () => {
    expect(projectFields(record, parseFieldList('id,Name,status/id')!)).toEqual({ id: 1, name: 'x', status: { id: 2 } });
    expect(projectFields(record, parseFieldList('status/id, status/name')!)).toEqual({ status: { id: 2, name: 'Active' } });
    expect(projectFields(record, parseFieldList('company')!)).toEqual({ company: { id: 3, name: 'c' } });
  });

  it('ignores unknown names; no list means everything', () => {
    expect(projectFields(record, parseFieldList('nope,status/nope')!)).toEqual({});
    expect(parseFieldList(undefined)).toBeUndefined();
    expect(parseFieldList(' ')).toBeUndefined();
  });
});
