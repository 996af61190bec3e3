import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { type AccountUser, buildUsersCsv, neutraliseCell, shouldAttachUsersCsv } from './users-csv';

const BOM = '\ufeff';
const ada: AccountUser = { email: 'ada@contoso.example', displayName: 'Ada Lovelace', services: ['Exchange', 'Teams'] };
const bob: AccountUser = { email: 'Bob@contoso.example', displayName: 'Bob Builder', services: ['Teams'] };
const cy: AccountUser = { email: 'cy@contoso.example', displayName: 'Cy Young', services: [] };

/** The cells as a spreadsheet or a CSV parser would read them back. */
function rows(content: string): string[][] {
  expect(content.startsWith(BOM)).toBe(true);
  const parsed: string[][] = parse(content.slice(BOM.length));
  return parsed;
}

describe('buildUsersCsv', () => {
  it('writes a header and one row per user, sorted by email, services sorted and joined', () => {
    const csv = buildUsersCsv('Contoso Ltd', [cy, bob, { ...ada, services: ['Teams', 'Exchange', 'Teams'] }]);

    expect(csv.content).toBe(
      `${BOM}"Display name","Email","Services"\r\n` +
        '"Ada Lovelace","ada@contoso.example","Exchange; Teams"\r\n' +
        '"Bob Builder","Bob@contoso.example","Teams"\r\n' +
        '"Cy Young","cy@contoso.example",\r\n',
    );
    expect(csv.fileName).toBe('users-contoso-ltd.csv');
    expect(csv.sha256).toBe(createHash('sha256').update(csv.content, 'utf8').digest('hex'));
  });

  it('gives the same bytes and hash whatever order users and services arrive in', () => {
    const users = [ada, bob, cy, { email: 'ada@contoso.example', displayName: 'Ada (second mailbox)', services: ['B', 'A'] }];
    const shuffled = [users[2], users[3], users[0], users[1]].map((u) => ({ ...u, services: [...u.services].reverse() }));

    const first = buildUsersCsv('Contoso', users);
    const second = buildUsersCsv('Contoso', shuffled);

    expect(second.content).toBe(first.content);
    expect(second.sha256).toBe(first.sha256);
  });

  it('changes the hash when a service changes', () => {
    const before = buildUsersCsv('Contoso', [ada]);
    const after = buildUsersCsv('Contoso', [{ ...ada, services: ['Exchange'] }]);

    expect(after.sha256).not.toBe(before.sha256);
  });

  it.each(['=', '+', '-', '@', '\t', '\r'])('neutralises a cell starting with %p in every column', (trigger) => {
    const hostile = `${trigger}HYPERLINK("https://evil.example","x")`;
    const csv = buildUsersCsv('Contoso', [{ email: hostile, displayName: hostile, services: [hostile, 'Teams'] }]);

    const [, row] = rows(csv.content);

    expect(row).toEqual([`'${hostile}`, `'${hostile}`, `'${hostile}; Teams`]);
  });

  it.each(['a=b', 'Ann-Marie', 'user+tag@contoso.example', "O'Brien", ' =1'])('leaves %p as it is', (value) => {
    expect(neutraliseCell(value)).toBe(value);
  });

  it('quotes delimiters, quotes and line breaks so every row reads back as three cells', () => {
    const awkward: AccountUser = { email: 'x@contoso.example', displayName: 'Smith, "Jo"\nJr.\r', services: ['A;B', 'C,D'] };

    const parsed = rows(buildUsersCsv('Contoso', [awkward]).content);

    expect(parsed).toEqual([
      ['Display name', 'Email', 'Services'],
      ['Smith, "Jo"\nJr.\r', 'x@contoso.example', 'A;B; C,D'],
    ]);
  });

  it('writes just the header for an account with no users', () => {
    expect(buildUsersCsv('Contoso', []).content).toBe(`${BOM}"Display name","Email","Services"\r\n`);
  });

  it.each([
    ['Contoso Ltd', 'users-contoso-ltd.csv'],
    ['Café Zürich & Søn', 'users-cafe-zurich-s-n.csv'],
    ['../../etc/passwd', 'users-etc-passwd.csv'],
    ['日本', 'users-account.csv'],
    ['A'.repeat(100), `users-${'a'.repeat(60)}.csv`],
  ])('names the file for %p as %p', (accountName, fileName) => {
    expect(buildUsersCsv(accountName, []).fileName).toBe(fileName);
  });
});

describe('shouldAttachUsersCsv', () => {
  const next = buildUsersCsv('Contoso', [ada]);

  it.each([
    { label: 'never attached', previous: undefined, attach: true },
    { label: 'same content', previous: next.sha256, attach: false },
    { label: 'same content, hash stored upper-case', previous: next.sha256.toUpperCase(), attach: false },
    { label: 'content changed', previous: buildUsersCsv('Contoso', [bob]).sha256, attach: true },
  ])('$label → $attach', ({ previous, attach }) => {
    expect(shouldAttachUsersCsv(previous, next)).toBe(attach);
  });
});
