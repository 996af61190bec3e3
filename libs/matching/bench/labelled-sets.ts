import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCompanies, readCsv } from '../src/cli/csv-input';
import { type CompanyRecord } from '../src/types';

/** An account with the company it should map to ('' = it has none). */
export interface LabelledAccount {
  readonly id: string;
  readonly name: string;
  readonly expected: string;
}

export interface LabelledSet {
  readonly name: string;
  readonly companies: CompanyRecord[];
  readonly accounts: LabelledAccount[];
}

export const SET_NAMES = ['sec-edgar', 'dnb-synthetic', 'easonanalytica-us'] as const;

/**
 * Where the labelled development data lives: $MATCHING_DATA, else ../shared/data/matching beside the
 * repository (present on the project's machines, absent in a plain clone). null when absent.
 */
export function labelledDataDir(): string | null {
  const dir = process.env.MATCHING_DATA ?? resolve(process.cwd(), '..', 'shared', 'data', 'matching');
  return existsSync(dir) ? dir : null;
}

export function loadSet(dir: string, name: string): LabelledSet {
  const companies = readCompanies(join(dir, name, 'companies.csv'));
  const accounts = readCsv(join(dir, name, 'accounts.csv'), ['id', 'name', 'expected_company_id']).map((r) => ({
    id: r.id,
    name: r.name,
    expected: (r.expected_company_id ?? '').trim(),
  }));
  return { name, companies, accounts };
}

export interface LabelledPair {
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
}

export function loadPairs(dir: string): LabelledPair[] {
  const path = join(dir, 'easonanalytica-pairs.csv');
  if (!existsSync(path)) return [];
  return readCsv(path, ['Name_x', 'Name_y', 'Targets']).map((r) => ({ a: r.Name_x, b: r.Name_y, same: r.Targets.trim() === '1' }));
}
