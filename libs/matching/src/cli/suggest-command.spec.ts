import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCompanies } from './csv-input';
import { runSuggest } from './suggest-command';

function files(accounts: string, companies: string): { accounts: string; companies: string } {
  const dir = mkdtempSync(join(tmpdir(), 'suggest-'));
  const a = join(dir, 'accounts.csv');
  const c = join(dir, 'companies.csv');
  writeFileSync(a, accounts);
  writeFileSync(c, companies);
  return { accounts: a, companies: c };
}

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: runSuggest(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const COMPANIES = [
  'id,identifier,name,city',
  '10,AcmeCorporation,"ACME, Corporation",Austin',
  '11,NorthwindTraders,"Northwind ""Traders""",Boise',
  '12,SummitLandscapingLlc,Summit Landscaping LLC,Reno',
  '13,SummitLandscapingInc,"Summit Landscaping, Inc.",Reno',
].join('\n');

describe('suggest CLI', () => {
  it('prints one row per confident suggestion, header first, and exits 0', () => {
    const f = files('id,name,extra\n1,Acme Corp,x\n2,"Northwind ""Traders"" Inc",y\n3,Summit Landscaping,z\n4,Unrelated Bakery,w\n', COMPANIES);
    const r = run(['--accounts', f.accounts, '--companies', f.companies]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('account_id,company_id,score');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['1,10', '2,11']);
    expect(Number(lines[1].split(',')[2])).toBeGreaterThan(0.7);
  });

  it('adds a quoted reason column with --reasons', () => {
    const f = files('id,name\n1,Acme Corp\n', COMPANIES);
    const r = run(['--accounts', f.accounts, '--companies', f.companies, '--reasons']);
    expect(r.out.split('\n')[0]).toBe('account_id,company_id,score,reason');
    expect(r.out.split('\n')[1]).toMatch(/^1,10,0\.\d{4},/);
  });

  it('parses quoted fields with commas and doubled quotes', () => {
    const f = files('id,name\n', COMPANIES);
    expect(readCompanies(f.companies).map((c) => c.name)).toEqual(['ACME, Corporation', 'Northwind "Traders"', 'Summit Landscaping LLC', 'Summit Landscaping, Inc.']);
  });

  it('writes cells a spreadsheet would evaluate as text (ids like =1+1 come out neutralised)', () => {
    const f = files('id,name\n=1+1,Acme Corp\n', 'id,identifier,name\n@SUM(A1),AcmeCorporation,"ACME, Corporation"\n');
    const r = run(['--accounts', f.accounts, '--companies', f.companies]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[1]).toMatch(/^'=1\+1,'@SUM\(A1\),0\.\d{4}$/);
  });

  it('answers --help with its usage on stdout and exit 0', () => {
    const r = run(['--help']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^usage: suggest --accounts/);
  });

  it('exits 2 with a message for a missing file, a missing column or a missing option', () => {
    const f = files('id,title\n1,Acme\n', COMPANIES);
    const missingColumn = run(['--accounts', f.accounts, '--companies', f.companies]);
    expect(missingColumn).toMatchObject({ code: 2, out: '' });
    expect(missingColumn.err).toMatch(/missing column\(s\) name/);
    const missingFile = run(['--accounts', '/nonexistent/accounts.csv', '--companies', f.companies]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.err).toMatch(/cannot read \/nonexistent\/accounts.csv/);
    expect(run(['--accounts', f.accounts]).code).toBe(2);
    expect(run(['--accounts', f.accounts, '--companies', f.companies, '--min-score', '2']).code).toBe(2);
  });
});
