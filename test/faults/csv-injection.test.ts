import { parse } from 'csv-parse/sync';
import { Fleet } from './fleet';

const HOSTILE = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tcmd', '\rcmd'];
const FORMULA_START = /^[=+\-@\t\r]/;

function cells(csv: string): string[] {
  const rows: unknown = parse(csv, { relax_column_count: true, bom: true });
  return (rows as string[][]).flat();
}

/**
 * Formula injection: account and user names starting with =, +, -, @, tab or CR must be neutralised in the
 * users CSV attached to each agreement (downloaded from the simulator as ConnectWise would serve it) and in
 * the run log's CSV download.
 */
describe('faults: hostile names in the CSVs', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({
      partnerId: 'csv-msp',
      partner: { seed: 51, accounts: HOSTILE.length, skusPerAccount: { min: 1, max: 2 }, usersPerAccount: 2 },
      workers: 1,
      preparePartner: (partner) => {
        partner.accounts.forEach((account, i) => {
          account.account.name = `${HOSTILE[i]} Account ${i}`;
          account.users.forEach((user, j) => {
            user.displayName = `${HOSTILE[(i + j + 1) % HOSTILE.length]} User`;
          });
        });
      },
    });
  }, 120_000);

  afterAll(async () => {
    await fleet?.close();
  }, 60_000);

  it('no cell of the users CSVs or the log CSV starts with a formula character', async () => {
    const run = await fleet.runExport();
    expect(run).toMatchObject({ status: 'succeeded', done: HOSTILE.length });

    const documents = fleet.sim.state.documents();
    expect(documents.length).toBe(HOSTILE.length);
    const usersCells = documents.flatMap((d) => cells(fleet.sim.state.documentContent(d.id)?.toString('utf8') ?? ''));
    // The hostile text is there, neutralised, not dropped.
    expect(usersCells.some((c) => c.includes('HYPERLINK'))).toBe(true);
    expect(usersCells.some((c) => c.includes('SUM(A1:A2)'))).toBe(true);
    expect(usersCells.filter((c) => FORMULA_START.test(c))).toEqual([]);

    const log = await fleet.as(fleet.http().get(`/partners/${fleet.partnerId}/runs/${run.id}/log.csv`)).expect(200);
    const logCells = cells(log.text);
    expect(logCells.some((c) => c.includes('HYPERLINK'))).toBe(true);
    expect(logCells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    console.log(`[faults] csv injection: ${documents.length} users CSVs (${usersCells.length} cells) and the log CSV (${logCells.length} cells): 0 formula cells`);
  }, 90_000);
});
