/**
 * `account_mapping_counts` is kept by triggers (migration 0005). After any mix of writes — bulk and single-row
 * inserts, state and Export-flag changes, renames, deletes, rolled-back transactions, concurrent writers — it
 * must equal a GROUP BY over `account_mappings`, on both drivers (the harness: ./support/trigger-totals).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { accountMappingCounts, accountMappings, lockPartnerAccounts, partners, type Database } from '../../libs/persistence/src';
import { deadlocked, describeTriggerTotals, migratedDatabase, POSTGRES, raceHeldTransaction } from './support/trigger-totals';

const STATES = ['unmapped', 'suggested', 'mapped'] as const;
const PARTNERS = ['p-a', 'p-b'];

type Op =
  | { kind: 'insert'; partner: number; ids: number[] }
  | { kind: 'setState'; partner: number; ids: number[]; state: (typeof STATES)[number] }
  | { kind: 'setExport'; partner: number; ids: number[]; on: boolean }
  | { kind: 'rename'; partner: number; ids: number[] }
  | { kind: 'delete'; partner: number; ids: number[] }
  | { kind: 'rollback'; partner: number; ids: number[] };

const ids = fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 12 });
const partner = fc.integer({ min: 0, max: 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), partner, ids }),
  fc.record({ kind: fc.constant('setState' as const), partner, ids, state: fc.constantFrom(...STATES) }),
  fc.record({ kind: fc.constant('setExport' as const), partner, ids, on: fc.boolean() }),
  fc.record({ kind: fc.constant('rename' as const), partner, ids }),
  fc.record({ kind: fc.constant('delete' as const), partner, ids }),
  fc.record({ kind: fc.constant('rollback' as const), partner, ids }),
);

const scope = (p: number, list: number[]) => and(eq(accountMappings.partnerId, PARTNERS[p]), inArray(accountMappings.accountId, list.map((i) => `a${i}`)));

async function apply(db: Database, o: Op): Promise<void> {
  switch (o.kind) {
    case 'insert':
      await db
        .insert(accountMappings)
        .values([...new Set(o.ids)].map((i) => ({ partnerId: PARTNERS[o.partner], accountId: `a${i}`, accountName: `Account ${i}` })))
        .onConflictDoNothing();
      return;
    case 'setState':
      await db.update(accountMappings).set({ state: o.state }).where(scope(o.partner, o.ids));
      return;
    case 'setExport':
      await db.update(accountMappings).set({ exportEnabled: o.on }).where(scope(o.partner, o.ids));
      return;
    case 'rename':
      await db.update(accountMappings).set({ accountName: sql`${accountMappings.accountName} || '!'` }).where(scope(o.partner, o.ids));
      return;
    case 'delete':
      await db.delete(accountMappings).where(scope(o.partner, o.ids));
      return;
    case 'rollback':
      await db
        .transaction(async (tx) => {
          await tx.update(accountMappings).set({ state: 'mapped', exportEnabled: true }).where(scope(o.partner, o.ids));
          tx.rollback();
        })
        .catch(() => undefined);
      return;
  }
}

const key = (r: { partnerId: string; state: string; exportEnabled: boolean }) => `${r.partnerId}/${r.state}/${r.exportEnabled}`;

describeTriggerTotals({
  title: 'account counts',
  op,
  property: { numRuns: 40, seed: 5, timeout: 120_000 },
  prepare: async (db) => void (await db.insert(partners).values(PARTNERS.map((id) => ({ id, name: id })))),
  apply,
  kept: async (db) => (await db.select().from(accountMappingCounts)).map((r) => [key(r), [r.accounts]]),
  counted: async (db) =>
    (
      await db
        .select({ partnerId: accountMappings.partnerId, state: accountMappings.state, exportEnabled: accountMappings.exportEnabled, n: sql<number>`count(*)::int` })
        .from(accountMappings)
        .groupBy(accountMappings.partnerId, accountMappings.state, accountMappings.exportEnabled)
    ).map((r) => [key(r), [Number(r.n)]]),
});

/**
 * The counts and the revision are locked at the end of every write statement and held to commit, so a
 * transaction of several statements could deadlock with a single-row edit. `lockPartnerAccounts` first
 * prevents it; without it, PostgreSQL detects the deadlock and fails one of the two (shown here, so the test
 * can tell the difference).
 */
describe('a transaction of several writes against a concurrent single-row edit (PostgreSQL)', () => {
  const P = 'p-race';
  const db = migratedDatabase(POSTGRES, 4, async (d) => void (await d.insert(partners).values({ id: P, name: P })));
  const row = (id: string) => and(eq(accountMappings.partnerId, P), eq(accountMappings.accountId, id));

  async function race(lockFirst: boolean): Promise<PromiseSettledResult<unknown>[]> {
    await db().delete(accountMappings).where(eq(accountMappings.partnerId, P));
    await db().insert(accountMappings).values(['a1', 'a2'].map((id) => ({ partnerId: P, accountId: id, accountName: id })));
    return raceHeldTransaction(
      db(),
      {
        first: async (tx) => {
          if (lockFirst) await lockPartnerAccounts(tx, P);
          await tx.update(accountMappings).set({ state: 'suggested' }).where(row('a1'));
        },
        then: (tx) => tx.update(accountMappings).set({ state: 'suggested' }).where(row('a2')),
      },
      () => db().update(accountMappings).set({ state: 'mapped', exportEnabled: true }).where(row('a2')).execute(),
    );
  }

  it('without the lock first, PostgreSQL breaks a deadlock', async () => {
    const results = await race(false);
    expect(results.filter(deadlocked)).toHaveLength(1);
  }, 20_000);

  it('with lockPartnerAccounts first, both commit, one after the other', async () => {
    const results = await race(true);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const [a2] = await db().select().from(accountMappings).where(row('a2'));
    expect(a2.state).toBe('mapped'); // the edit ran after the transaction committed
  }, 20_000);
});
