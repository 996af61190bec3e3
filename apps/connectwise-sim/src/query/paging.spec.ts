import { ApiError } from '../http/api-error';
import { forwardOnlyLink, lastPage, navigableLink, parseNavigablePage, parsePageSize } from './paging';

const URL_BASE = 'http://cw.test/v4_6_release/apis/3.0/company/companies';

describe('paging', () => {
  it('defaults to 25, clamps above 1,000', () => {
    expect(parsePageSize(undefined)).toBe(25);
    expect(parsePageSize('0')).toBe(25);
    expect(parsePageSize('50')).toBe(50);
    expect(parsePageSize('1000')).toBe(1000);
    expect(parsePageSize('5000')).toBe(1000);
  });

  it('rejects non-integer page values', () => {
    expect(() => parsePageSize('ten')).toThrow(ApiError);
    expect(() => parseNavigablePage(new URLSearchParams('page=1.5'))).toThrow(ApiError);
    expect(parseNavigablePage(new URLSearchParams('page=0&pageSize=10'))).toEqual({ page: 1, pageSize: 10 });
  });

  it('counts pages', () => {
    expect(lastPage(0, 25)).toBe(1);
    expect(lastPage(25, 25)).toBe(1);
    expect(lastPage(26, 25)).toBe(2);
  });

  it('first page: next and last only, page last in the query', () => {
    expect(navigableLink(URL_BASE, 1, 50, 200)).toBe(
      `<${URL_BASE}?pageSize=50&page=2>; rel="next", <${URL_BASE}?pageSize=50&page=4>; rel="last"`,
    );
  });

  it('middle page: first, prev, next, last', () => {
    const link = navigableLink(URL_BASE, 2, 50, 200);
    expect(link.split(', ').map((part) => /rel="(\w+)"/.exec(part)?.[1])).toEqual(['first', 'prev', 'next', 'last']);
    expect(link).toContain(`<${URL_BASE}?pageSize=50&page=1>; rel="prev"`);
  });

  it('last page: first and prev only; a single page: nothing', () => {
    expect(navigableLink(URL_BASE, 4, 50, 200)).toBe(
      `<${URL_BASE}?pageSize=50&page=1>; rel="first", <${URL_BASE}?pageSize=50&page=3>; rel="prev"`,
    );
    expect(navigableLink(URL_BASE, 1, 50, 10)).toBe('');
  });

  it('forward-only: next pageId, or empty at the end', () => {
    expect(forwardOnlyLink(URL_BASE, 10, 42)).toBe(`<${URL_BASE}?pageSize=10&pageId=42>; rel="next"`);
    expect(forwardOnlyLink(URL_BASE, 10, undefined)).toBe('');
  });
});
