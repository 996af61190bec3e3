/**
 * The users-and-services CSV attached to an agreement. Same data, same bytes: attach only when it changed.
 */
import { createHash } from 'node:crypto';
import { createObjectCsvStringifier } from 'csv-writer';
import { compareText } from './collections';

export interface AccountUser {
  email: string;
  displayName: string;
  services: string[];
}

export interface UsersCsv {
  content: string;
  /** Lower-case hex SHA-256 of the UTF-8 bytes of `content`. */
  sha256: string;
  fileName: string;
}

/** UTF-8 byte order mark: lets Excel read accented names correctly. */
const BOM = '\ufeff';
const SERVICE_SEPARATOR = '; ';
/** First characters a spreadsheet may read as a formula (OWASP CSV injection): = + - @ tab CR. */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const FILE_SLUG_MAX = 60;

const HEADER = [
  { id: 'displayName', title: 'Display name' },
  { id: 'email', title: 'Email' },
  { id: 'services', title: 'Services' },
] as const;

export function buildUsersCsv(accountName: string, users: readonly AccountUser[]): UsersCsv {
  const stringifier = createObjectCsvStringifier({ header: [...HEADER], recordDelimiter: '\r\n', alwaysQuote: true });
  const rows = [...users].sort(compareUsers).map((user) => ({
    displayName: neutraliseCell(user.displayName),
    email: neutraliseCell(user.email),
    services: neutraliseCell(distinctSorted(user.services).join(SERVICE_SEPARATOR)),
  }));
  // csv-writer turns an empty record list into one empty line; an account with no users gets the header alone.
  const body = rows.length > 0 ? stringifier.stringifyRecords(rows) : '';
  const content = BOM + (stringifier.getHeaderString() ?? '') + body;
  return {
    content,
    sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
    fileName: `users-${fileSlug(accountName)}.csv`,
  };
}

/** Attach when there is no previous file or its hash differs. */
export function shouldAttachUsersCsv(previousSha256: string | undefined, next: UsersCsv): boolean {
  return previousSha256 === undefined || previousSha256.toLowerCase() !== next.sha256.toLowerCase();
}

/** A cell a spreadsheet would evaluate gets a leading apostrophe, so it is shown as text. */
export function neutraliseCell(value: string): string {
  return FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
}

/** By email (case-insensitive), then email, then display name, then services: a total order on the data we write. */
function compareUsers(a: AccountUser, b: AccountUser): number {
  return (
    compareText(a.email.toLowerCase(), b.email.toLowerCase()) ||
    compareText(a.email, b.email) ||
    compareText(a.displayName, b.displayName) ||
    compareText(distinctSorted(a.services).join('\n'), distinctSorted(b.services).join('\n'))
  );
}

function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}

/** ASCII letters, digits and dashes from the account name (accents dropped), or `account`. */
function fileSlug(accountName: string): string {
  const slug = accountName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, FILE_SLUG_MAX)
    .replace(/-+$/, '');
  return slug || 'account';
}
