/**
 * The `suggest` command: reads accounts and companies CSV files, prints `account_id,company_id,score` for
 * each account with a confident suggestion (plus `reason` with --reasons). Returns the exit code: 0, or 2 on
 * bad input (missing file, missing column, bad option) with the message on stderr.
 */
import { parseArgs } from 'node:util';
import { CompanyMatcher } from '../matcher';
import { InputError, readAccounts, readCompanies } from './csv-input';

const USAGE = 'usage: suggest --accounts <accounts.csv: id,name> --companies <companies.csv: id,identifier,name> [--min-score N] [--min-gap N] [--reasons]';

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function numberOption(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InputError(`--${name} must be a number in 0..1, got '${raw}'`);
  return n;
}

export function runSuggest(argv: string[]): number {
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          accounts: { type: 'string' },
          companies: { type: 'string' },
          'min-score': { type: 'string' },
          'min-gap': { type: 'string' },
          reasons: { type: 'boolean' },
        },
      }));
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    if (!values.accounts || !values.companies) throw new InputError('both --accounts and --companies are required');
    const accounts = readAccounts(values.accounts);
    const companies = readCompanies(values.companies);
    const matcher = new CompanyMatcher(companies, {
      minScore: numberOption(values['min-score'], 'min-score'),
      minGap: numberOption(values['min-gap'], 'min-gap'),
    });
    const lines = [values.reasons ? 'account_id,company_id,score,reason' : 'account_id,company_id,score'];
    for (const s of matcher.suggestAll(accounts)) {
      const row = [csvField(s.accountId), csvField(s.companyId), s.score.toFixed(4)];
      if (values.reasons) row.push(csvField(s.reason));
      lines.push(row.join(','));
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`suggest: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
