import { DOCUMENT_TITLE_MAX, isOurUsersCsv, usersCsvTitle } from './users-csv-document';

const SHA = 'abcdef0123456789'.repeat(4);

describe('users CSV document title', () => {
  it('names the account and the content hash', () => {
    expect(usersCsvTitle('Acme Corp', SHA)).toBe('Users - Acme Corp (abcdef012345)');
  });

  it('stays on one line and within 100 characters, cutting long names without splitting a character', () => {
    expect(usersCsvTitle('Acme\r\n\tCorp', SHA)).toBe('Users - Acme Corp (abcdef012345)');
    const long = usersCsvTitle('😀'.repeat(200), SHA);
    expect(long.length).toBeLessThanOrEqual(DOCUMENT_TITLE_MAX);
    expect(long.length).toBeGreaterThanOrEqual(DOCUMENT_TITLE_MAX - 1);
    expect(long).toMatch(/^Users - (😀)+… \(abcdef012345\)$/u);
    expect(usersCsvTitle('a'.repeat(200), SHA)).toHaveLength(DOCUMENT_TITLE_MAX);
    expect(usersCsvTitle('   ', SHA)).toBe('Users - account (abcdef012345)');
  });
});

describe('isOurUsersCsv', () => {
  it.each([
    ['our title and file name', { id: 1, title: 'Users - Acme (0123456789ab)', fileName: 'users-acme.csv' }, undefined, true],
    ['the document we recorded, whatever its title', { id: 7, title: 'Renamed by someone', fileName: 'x.pdf' }, 7, true],
    ['our title format, another file name', { id: 1, title: 'Users - Acme (0123456789ab)', fileName: 'users.xlsx' }, undefined, false],
    ['our file name, another title', { id: 1, title: 'Users of Acme', fileName: 'users-acme.csv' }, undefined, false],
    ['a hash that is not ours in format', { id: 1, title: 'Users - Acme (XYZ)', fileName: 'users-acme.csv' }, undefined, false],
    ['no title', { id: 1, fileName: 'users-acme.csv' }, undefined, false],
  ])('%s', (_name, doc, recorded, expected) => {
    expect(isOurUsersCsv(doc, recorded)).toBe(expected);
  });
});
