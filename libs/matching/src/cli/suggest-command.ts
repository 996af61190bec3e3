/**
 * The `suggest` command: reads accounts and companies CSV files, prints `account_id,company_id,score` for
 * each account with a confident suggestion (plus `reason` with --reasons). Returns the exit code: 0, or 2 on
 * bad input (missing file, missing column, bad option) with the message on stderr.
 */
import { createObjectCsvStringifier } from 'csv-writer';
import { parseArgs } from 'node:util';
import { neutraliseCell } from '@cwx/domain';
import { CompanyMatcher } from '../matcher';
import { InputError, readAccounts, readCompanies } from './csv-input';

const USAGE = 'usage: suggest --accounts <accounts.csv: id,name> --companies <companies.csv: id,identifier,name> [--min-score N] [--min-gap N] [--reasons] [--help]';

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
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!values.accounts || !values.companies) throw new InputError('both --accounts and --companies are required');
    const accounts = readAccounts(values.accounts);
    const companies = readCompanies(values.companies);
    const matcher = new CompanyMatcher(companies, {
      minScore: numberOption(values['min-score'], 'min-score'),
      minGap: numberOption(values['min-gap'], 'min-gap'),
    });
    // Like every CSV the product writes: csv-writer for quoting, and cells a spreadsheet would evaluate
    // (=, +, -, @, tab, CR first) neutralised, since ids and names come from the input files.
    const header = [
      { id: 'account_id', title: 'account_id' },
      { id: 'company_id', title: 'company_id' },
      { id: 'score', title: 'score' },
      ...(values.reasons ? [{ id: 'reason', title: 'reason' }] : []),
    ];
    const csv = createObjectCsvStringifier({ header });
    const records = matcher.suggestAll(accounts).map((s) => ({
      account_id: neutraliseCell(String(s.accountId)),
      company_id: neutraliseCell(String(s.companyId)),
      score: s.score.toFixed(4),
      ...(values.reasons ? { reason: neutraliseCell(s.reason) } : {}),
    }));
    process.stdout.write(csv.getHeaderString() + (records.length > 0 ? csv.stringifyRecords(records) : ''));
    return 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`suggest: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
