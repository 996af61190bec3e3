import { clampPageSize, pageParams } from './paging';
import { serialiseParams } from './http/transport';

describe('pageParams', () => {
  it('sends the caller query on every page, ordered by id unless told otherwise', () => {
    const query = { conditions: 'name like "A%"', fields: ['id', 'name'], pageSize: 50 };
    expect(pageParams(query, 3)).toEqual({ conditions: 'name like "A%"', childConditions: undefined, customFieldConditions: undefined, orderBy: 'id asc', fields: 'id,name', page: 3, pageSize: 50 });
    expect(pageParams({ orderBy: 'name desc' }, 1).orderBy).toBe('name desc');
    expect(pageParams({ orderBy: null }, 1).orderBy).toBeUndefined();
    expect(pageParams({}, 1, { recordType: 'Agreement' }).recordType).toBe('Agreement');
  });

  it('defaults to and caps at 1000 rows', () => {
    expect(clampPageSize(undefined)).toBe(1000);
    expect(clampPageSize(5000)).toBe(1000);
    expect(() => clampPageSize(0)).toThrow();
    expect(() => clampPageSize(2.5)).toThrow();
  });
});

describe('serialiseParams', () => {
  it('percent-encodes every reserved character and drops undefined values', () => {
    expect(serialiseParams({ conditions: 'identifier = "A&B+C" and x in (1, 2)', page: 2, skip: undefined })).toBe(
      'conditions=identifier%20%3D%20%22A%26B%2BC%22%20and%20x%20in%20(1%2C%202)&page=2',
    );
  });
});
