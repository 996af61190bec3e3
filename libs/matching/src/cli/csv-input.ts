import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { type AccountRecord, type CompanyRecord } from '../types';

/** Bad input the user can fix (missing file, missing column, malformed CSV). */
export class InputError extends Error {}

/** Reads a CSV with a header row; checks that `required` columns exist. Extra columns are kept but unused. */
export function readCsv(path: string, required: readonly string[]): Record<string, string>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let rows: Record<string, string>[];
  let header: string[] = [];
  try {
    rows = parse(text, {
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => c.trim())),
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (e) {
    throw new InputError(`${path}: not valid CSV (${(e as Error).message})`);
  }
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new InputError(`${path}: missing column(s) ${missing.join(', ')} (header: ${header.join(',') || 'empty'})`);
  }
  return rows;
}

export function readAccounts(path: string): AccountRecord[] {
  return readCsv(path, ['id', 'name']).map((r) => ({ id: r.id, name: r.name ?? '' }));
}

export function readCompanies(path: string): CompanyRecord[] {
  return readCsv(path, ['id', 'identifier', 'name']).map((r) => ({ id: r.id, identifier: r.identifier ?? '', name: r.name ?? '' }));
}
