/**
 * `account_mapping_counts` is kept by triggers (migration 0005). After any mix of writes — bulk and single-row
 * inserts, state and Export-flag changes, renames, deletes, rolled-back transactions, concurrent writers — it
 * must equal a GROUP BY over `account_mappings`, on both drivers.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { BOTH_DRIVERS } from '../support/postgres';
import { accountMappingCounts, accountMappings, lockPartnerAccounts, openDatabase, partners, type DatabaseHandle } from '../../libs/persistence/src';

const STATES = ['unmapped', 'suggested', 'mapped'] as const;
const PARTNERS = ['p-a', 'p-b'];

type Op =
  | { kind: 'insert'; partner: number; ids: number[] }
  | { kind: 'setState'; partner: number; ids: number[]; state: (typeof STATES)[number] }
  | { kind: 'setExport'; partner: number; ids: number[]; on: boolean }
  | { kind: 'rename'; partner: number; ids: number[] }
  | { kind: 'delete'; partner: number; ids: number[] }
  | { kind: 'rollback'; partner: number; ids: number[] };

/** PostgreSQL's deadlock_detected, on the driver's error or on drizzle's wrapper of it. */
function isDeadlock(error: unknown): boolean {
  return [(error as { code?: string }).code, ((error as { cause?: { code?: string } }).cause ?? {}).code].includes('40P01');
}

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

describe.each(BOTH_DRIVERS)('account counts on %s', (name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const s = await setup(6);
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    await handle.db.insert(partners).values(PARTNERS.map((id) => ({ id, name: id })));
  });

  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });

  const scope = (p: number, list: number[]) => and(eq(accountMappings.partnerId, PARTNERS[p]), inArray(accountMappings.accountId, list.map((i) => `a${i}`)));

  async function apply(o: Op): Promise<void> {
    const db = handle.db;
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

  async function expectCountsMatchRows(): Promise<void> {
    const counted = await handle.db
      .select({ partnerId: accountMappingCounts.partnerId, state: accountMappingCounts.state, exportEnabled: accountMappingCounts.exportEnabled, n: accountMappingCounts.accounts })
      .from(accountMappingCounts);
    const actual = await handle.db
      .select({ partnerId: accountMappings.partnerId, state: accountMappings.state, exportEnabled: accountMappings.exportEnabled, n: sql<number>`count(*)::int` })
      .from(accountMappings)
      .groupBy(accountMappings.partnerId, accountMappings.state, accountMappings.exportEnabled);
    const key = (r: { partnerId: string; state: string; exportEnabled: boolean }) => `${r.partnerId}/${r.state}/${r.exportEnabled}`;
    const fromCounts = Object.fromEntries(counted.filter((r) => r.n !== 0).map((r) => [key(r), r.n]));
    expect(fromCounts).toEqual(Object.fromEntries(actual.map((r) => [key(r), Number(r.n)])));
  }

  it('equal a GROUP BY after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) await apply(o);
        await expectCountsMatchRows();
      }),
      { numRuns: 40, seed: 5 },
    );
  }, 120_000);

  it('stay exact under concurrent writers', async () => {
    const sequences = fc.sample(fc.array(op, { minLength: 10, maxLength: 20 }), { numRuns: 6, seed: name.length });
    // Multi-row statements over the same rows may lock them in different orders (an insert's conflict checks
    // against an update's scan); PostgreSQL then fails one statement with a deadlock. That statement's count
    // changes must roll back with it, so a deadlock is allowed here and the counts are still checked.
    await Promise.all(
      sequences.map(async (ops) => {
        for (const o of ops) await apply(o).catch((error: unknown) => { if (!isDeadlock(error)) throw error; });
      }),
    );
    await expectCountsMatchRows();
  }, 120_000);
});

/**
 * The counts and the revision are locked at the end of every write statement and held to commit, so a
 * transaction of several statements could deadlock with a single-row edit. `lockPartnerAccounts` first
 * prevents it; without it, PostgreSQL detects the deadlock and fails one of the two (shown here, so the test
 * can tell the difference).
 */
describe('a transaction of several writes against a concurrent single-row edit (PostgreSQL)', () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  const P = 'p-race';
  const row = (id: string) => and(eq(accountMappings.partnerId, P), eq(accountMappings.accountId, id));

  beforeAll(async () => {
    const [, setup] = BOTH_DRIVERS.find(([name]) => name === 'PostgreSQL')!;
    const s = await setup(4);
    drop = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    await handle.db.insert(partners).values({ id: P, name: P });
  });

  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  async function race(lockFirst: boolean): Promise<PromiseSettledResult<unknown>[]> {
    const db = handle.db;
    await db.delete(accountMappings).where(eq(accountMappings.partnerId, P));
    await db.insert(accountMappings).values(['a1', 'a2'].map((id) => ({ partnerId: P, accountId: id, accountName: id })));
    let firstWritten!: () => void;
    const written = new Promise<void>((resolve) => (firstWritten = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const long = db.transaction(async (tx) => {
      if (lockFirst) await lockPartnerAccounts(tx, P);
      await tx.update(accountMappings).set({ state: 'suggested' }).where(row('a1'));
      firstWritten();
      await gate;
      await tx.update(accountMappings).set({ state: 'suggested' }).where(row('a2'));
    });
    await written;
    const edit = db.update(accountMappings).set({ state: 'mapped', exportEnabled: true }).where(row('a2')).execute(); // started now
    await new Promise((resolve) => setTimeout(resolve, 300)); // the edit is now waiting on a lock
    release();
    return Promise.allSettled([long, edit]);
  }

  const deadlocked = (r: PromiseSettledResult<unknown>) => r.status === 'rejected' && isDeadlock(r.reason);

  it('without the lock first, PostgreSQL breaks a deadlock', async () => {
    const results = await race(false);
    expect(results.filter(deadlocked)).toHaveLength(1);
  }, 20_000);

  it('with lockPartnerAccounts first, both commit, one after the other', async () => {
    const results = await race(true);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const [a2] = await handle.db.select().from(accountMappings).where(row('a2'));
    expect(a2.state).toBe('mapped'); // the edit ran after the transaction committed
  }, 20_000);
});
