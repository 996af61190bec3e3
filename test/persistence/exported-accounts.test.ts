/**
 * "Exported account", the one query (exportedAccounts) and its one-row form (isExported): mapped to an agreement
 * with Export on, of this partner; a run of approved changes only those with an approved change.
 */
import { accountMappings, exportedAccounts, isExported, openDatabase, partners, reviewChanges, type DatabaseHandle } from '../../libs/persistence/src';
import { BOTH_DRIVERS } from '../support/postgres';

type Row = typeof accountMappings.$inferInsert;

const ROWS: Row[] = [
  { partnerId: 'p1', accountId: 'a-on', accountName: 'On', state: 'mapped', agreementId: 11, exportEnabled: true },
  { partnerId: 'p1', accountId: 'a-suspended', accountName: 'Suspended', state: 'mapped', agreementId: 12, exportEnabled: true, platformStatus: 'suspended' },
  { partnerId: 'p1', accountId: 'a-off', accountName: 'Off', state: 'mapped', agreementId: 13, exportEnabled: false },
  { partnerId: 'p1', accountId: 'a-no-agreement', accountName: 'No agreement', state: 'mapped', agreementId: null, exportEnabled: true },
  { partnerId: 'p1', accountId: 'a-suggested', accountName: 'Suggested', state: 'suggested', agreementId: null, exportEnabled: true },
  { partnerId: 'p1', accountId: 'a-unmapped', accountName: 'Unmapped', state: 'unmapped', exportEnabled: false },
  { partnerId: 'p2', accountId: 'a-other', accountName: 'Other partner', state: 'mapped', agreementId: 21, exportEnabled: true },
];

describe.each(BOTH_DRIVERS)('exported accounts on %s', (_name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const s = await setup();
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    await handle.db.insert(partners).values(['p1', 'p2'].map((id) => ({ id, name: id })));
    await handle.db.insert(accountMappings).values(ROWS);
    const change = { partnerId: 'p1', accountName: 'x', sku: 'SKU', fingerprint: 'f', classes: ['increase'], reason: 'policy' as const, after: {}, firstSeenOn: '2026-12-01' };
    await handle.db.insert(reviewChanges).values([
      { ...change, accountId: 'a-suspended', agreementId: 12, status: 'approved' },
      { ...change, accountId: 'a-on', agreementId: 11, status: 'pending' },
      { ...change, accountId: 'a-off', agreementId: 13, status: 'approved' },
      { ...change, partnerId: 'p2', accountId: 'a-other', agreementId: 21, status: 'approved' },
    ]);
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });

  it("are the partner's mapped accounts with Export on and an agreement, by account id, with what the export needs", async () => {
    expect(await exportedAccounts(handle.db, 'p1')).toEqual([
      { accountId: 'a-on', accountName: 'On', agreementId: 11, platformStatus: 'active' },
      { accountId: 'a-suspended', accountName: 'Suspended', agreementId: 12, platformStatus: 'suspended' },
    ]);
    expect((await exportedAccounts(handle.db, 'p2')).map((a) => a.accountId)).toEqual(['a-other']);
    expect(await exportedAccounts(handle.db, 'nobody')).toEqual([]);
  });

  it('for a run of approved changes: only the exported accounts with an approved change', async () => {
    expect((await exportedAccounts(handle.db, 'p1', { approvedChangesOnly: true })).map((a) => a.accountId)).toEqual(['a-suspended']);
  });

  it('reads the same inside a transaction', async () => {
    const inTx = await handle.db.transaction((tx) => exportedAccounts(tx, 'p1'));
    expect(inTx.map((a) => a.accountId)).toEqual(['a-on', 'a-suspended']);
  });

  it('isExported says the same of each row as the query', async () => {
    const rows = await handle.db.select().from(accountMappings);
    const exported = new Set([...(await exportedAccounts(handle.db, 'p1')), ...(await exportedAccounts(handle.db, 'p2'))].map((a) => `${a.accountId}`));
    expect(rows.filter((r) => isExported(r)).map((r) => r.accountId).sort()).toEqual([...exported].sort());
    expect(isExported(undefined)).toBe(false);
  });
});
