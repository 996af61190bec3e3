import { cwAnd, cwEquals, cwIn, cwString } from './conditions';

describe('conditions', () => {
  it('quotes strings, switching quote style when needed', () => {
    expect(cwString('M365-BP')).toBe('"M365-BP"');
    expect(cwString('Say "hi"')).toBe(`'Say "hi"'`);
    expect(cwString("O'Neil")).toBe(`"O'Neil"`);
    expect(() => cwString(`both ' and "`)).toThrow(/both/);
  });

  it('writes equality, in-lists, datetimes and conjunctions', () => {
    expect(cwEquals('identifier', 'ACME')).toBe('identifier = "ACME"');
    expect(cwEquals('company/id', 42)).toBe('company/id = 42');
    expect(cwEquals('inactiveFlag', false)).toBe('inactiveFlag = false');
    expect(cwIn('id', [1, 2, 3])).toBe('id in (1, 2, 3)');
    expect(cwAnd('a = 1', undefined, 'b = 2')).toBe('(a = 1) and (b = 2)');
    expect(cwAnd('a = 1', '')).toBe('a = 1');
    expect(cwAnd()).toBeUndefined();
    expect(() => cwIn('id', [])).toThrow();
    expect(() => cwEquals('n', Number.NaN)).toThrow();
  });
});
