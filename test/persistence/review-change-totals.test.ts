/**
 * `review_change_totals` is kept by triggers (migration 0015). After any mix of writes — bulk inserts, upserts
 * that bring a superseded change back, status, amount and class changes, deletes, rolled-back transactions,
 * concurrent writers — it must equal a GROUP BY over `review_changes`, on both drivers; and the queue's totals
 * read from it (`reviewTotals`) must equal the totals counted from the rows, for every filter.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { BOTH_DRIVERS } from '../support/postgres';
import { lockPartnerReview, openDatabase, reviewChangeTotals, reviewChanges, reviewTotals, type DatabaseHandle } from '../../libs/persistence/src';

const STATUSES = ['pending', 'approved', 'dismissed', 'applied', 'superseded'] as const;
const CLASS_SETS = [['decrease'], ['cancellation'], ['price-change'], ['decrease', 'price-change'], ['increase']];
const PARTNERS = ['p-a', 'p-b'];
const AMOUNTS = [null, -12.34, -0.1, 0, 0.2, 7.5, 1234.567];

type Op =
  | { kind: 'insert'; partner: number; keys: number[]; amount: number; classes: number }
  | { kind: 'upsert'; partner: number; keys: number[]; amount: number }
  | { kind: 'setStatus'; partner: number; keys: number[]; status: (typeof STATUSES)[number] }
  | { kind: 'setAmount'; partner: number; keys: number[]; amount: number }
  | { kind: 'setClasses'; partner: number; keys: number[]; classes: number }
  | { kind: 'delete'; partner: number; keys: number[] }
  | { kind: 'several'; partner: number; keys: number[]; status: (typeof STATUSES)[number]; amount: number }
  | { kind: 'rollback'; partner: number; keys: number[] };

function isDeadlock(error: unknown): boolean {
  return [(error as { code?: string }).code, ((error as { cause?: { code?: string } }).cause ?? {}).code].includes('40P01');
}

const keys = fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 10 });
const partner = fc.integer({ min: 0, max: 1 });
const amount = fc.integer({ min: 0, max: AMOUNTS.length - 1 });
const classes = fc.integer({ min: 0, max: CLASS_SETS.length - 1 });
const status = fc.constantFrom(...STATUSES);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), partner, keys, amount, classes }),
  fc.record({ kind: fc.constant('upsert' as const), partner, keys, amount }),
  fc.record({ kind: fc.constant('setStatus' as const), partner, keys, status }),
  fc.record({ kind: fc.constant('setAmount' as const), partner, keys, amount }),
  fc.record({ kind: fc.constant('setClasses' as const), partner, keys, classes }),
  fc.record({ kind: fc.constant('delete' as const), partner, keys }),
  fc.record({ kind: fc.constant('several' as const), partner, keys, status, amount }),
  fc.record({ kind: fc.constant('rollback' as const), partner, keys }),
);

/** Key k: agreement k % 7, SKU k % 3 (so SKUs repeat across agreements), one value per key. */
function row(p: number, k: number, amountIndex: number, classIndex: number) {
  return {
    partnerId: PARTNERS[p],
    accountId: `a${k % 7}`,
    accountName: `Account ${k % 7}`,
    agreementId: k % 7,
    sku: `SKU-${k % 3}`,
    fingerprint: `f${k}`,
    classes: CLASS_SETS[classIndex],
    reason: 'policy' as const,
    after: { quantity: k },
    monthlyAmount: AMOUNTS[amountIndex],
    firstSeenOn: '2026-12-01',
  };
}

describe.each(BOTH_DRIVERS)('review totals on %s', (name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const s = await setup(6);
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
  });

  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });

  const scope = (p: number, list: number[]) => and(eq(reviewChanges.partnerId, PARTNERS[p]), inArray(reviewChanges.fingerprint, list.map((k) => `f${k}`)));

  async function apply(o: Op): Promise<void> {
    const db = handle.db;
    const unique = [...new Set(o.keys)];
    switch (o.kind) {
      case 'insert':
        await db
          .insert(reviewChanges)
          .values(unique.map((k) => row(o.partner, k, o.amount, o.classes)))
          .onConflictDoNothing();
        return;
      case 'upsert':
        // As the worker records a queue: a superseded change that comes back waits again.
        for (const k of unique) {
          await db
            .insert(reviewChanges)
            .values(row(o.partner, k, o.amount, k % CLASS_SETS.length))
            .onConflictDoUpdate({
              target: [reviewChanges.partnerId, reviewChanges.agreementId, reviewChanges.sku, reviewChanges.fingerprint],
              set: { monthlyAmount: AMOUNTS[o.amount], status: sql`CASE WHEN ${reviewChanges.status} = 'superseded' THEN 'pending' ELSE ${reviewChanges.status} END` },
            });
        }
        return;
      case 'setStatus':
        await db.update(reviewChanges).set({ status: o.status }).where(scope(o.partner, unique));
        return;
      case 'setAmount':
        await db.update(reviewChanges).set({ monthlyAmount: AMOUNTS[o.amount] }).where(scope(o.partner, unique));
        return;
      case 'setClasses':
        await db.update(reviewChanges).set({ classes: CLASS_SETS[o.classes] }).where(scope(o.partner, unique));
        return;
      case 'delete':
        await db.delete(reviewChanges).where(scope(o.partner, unique));
        return;
      case 'several':
        // A transaction of several statements takes the partner's review lock first, as the writers do.
        await db.transaction(async (tx) => {
          await lockPartnerReview(tx, PARTNERS[o.partner]);
          for (const k of unique) await tx.update(reviewChanges).set({ status: o.status }).where(scope(o.partner, [k]));
          await tx.update(reviewChanges).set({ monthlyAmount: AMOUNTS[o.amount] }).where(scope(o.partner, unique.slice(0, 1)));
        });
        return;
      case 'rollback':
        await db
          .transaction(async (tx) => {
            await tx.update(reviewChanges).set({ status: 'pending', monthlyAmount: 99 }).where(scope(o.partner, unique));
            tx.rollback();
          })
          .catch(() => undefined);
        return;
    }
  }

  async function expectTotalsMatchRows(): Promise<void> {
    const kept = await handle.db.select().from(reviewChangeTotals);
    const actual = await handle.db
      .select({
        partnerId: reviewChanges.partnerId,
        status: reviewChanges.status,
        sku: reviewChanges.sku,
        classes: reviewChanges.classes,
        changes: sql<number>`count(*)::int`,
        monthlyAdded: sql<string>`coalesce(sum(${reviewChanges.monthlyAmount}::numeric) filter (where ${reviewChanges.monthlyAmount} > 0), 0)::text`,
        monthlyRemoved: sql<string>`coalesce(sum(${reviewChanges.monthlyAmount}::numeric) filter (where ${reviewChanges.monthlyAmount} < 0), 0)::text`,
        unpriced: sql<number>`(count(*) filter (where ${reviewChanges.monthlyAmount} is null))::int`,
      })
      .from(reviewChanges)
      .groupBy(reviewChanges.partnerId, reviewChanges.status, reviewChanges.sku, reviewChanges.classes);
    const key = (r: { partnerId: string; status: string; sku: string; classes: string[] }) => `${r.partnerId}/${r.status}/${r.sku}/${r.classes.join('+')}`;
    const value = (r: { changes: number; monthlyAdded: string; monthlyRemoved: string; unpriced: number }) => [r.changes, Number(r.monthlyAdded), Number(r.monthlyRemoved), r.unpriced];
    const nonZero = kept.filter((r) => r.changes !== 0 || Number(r.monthlyAdded) !== 0 || Number(r.monthlyRemoved) !== 0 || r.unpriced !== 0);
    expect(Object.fromEntries(nonZero.map((r) => [key(r), value(r)]))).toEqual(Object.fromEntries(actual.map((r) => [key(r), value(r)])));
  }

  it('equal a GROUP BY after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) await apply(o);
        await expectTotalsMatchRows();
      }),
      { numRuns: 30, seed: 15 },
    );
  }, 180_000);

  it('give the queue totals counted from the rows, for every filter', async () => {
    const counted = async (p: string, s: (typeof STATUSES)[number], filter: { accountId?: string; sku?: string; classes?: string[] }) => {
      const [r] = await handle.db
        .select({
          count: sql<number>`count(*)::int`,
          monthlyAdded: sql<string>`coalesce(sum(${reviewChanges.monthlyAmount}::numeric) filter (where ${reviewChanges.monthlyAmount} > 0), 0)::text`,
          monthlyRemoved: sql<string>`coalesce(sum(${reviewChanges.monthlyAmount}::numeric) filter (where ${reviewChanges.monthlyAmount} < 0), 0)::text`,
          unpriced: sql<number>`(count(*) filter (where ${reviewChanges.monthlyAmount} is null))::int`,
        })
        .from(reviewChanges)
        .where(
          and(
            eq(reviewChanges.partnerId, p),
            sql`${reviewChanges.status} = ${s}`,
            filter.accountId ? eq(reviewChanges.accountId, filter.accountId) : undefined,
            filter.sku ? eq(reviewChanges.sku, filter.sku) : undefined,
            filter.classes ? sql`${reviewChanges.classes} && ARRAY[${sql.join(filter.classes.map((c) => sql`${c}`), sql`, `)}]::text[]` : undefined,
          ),
        );
      const cents = (n: string) => Math.round(Number(n) * 100) / 100;
      return { count: r.count, monthlyAdded: cents(r.monthlyAdded), monthlyRemoved: cents(r.monthlyRemoved), unpriced: r.unpriced };
    };
    let checked = 0;
    for (const p of PARTNERS) {
      for (const s of STATUSES) {
        for (const filter of [{}, { accountId: 'a3' }, { sku: 'SKU-1' }, { classes: ['decrease'] }, { classes: ['cancellation', 'increase'] }, { accountId: 'a2', sku: 'SKU-2', classes: ['price-change'] }]) {
          const expected = await counted(p, s, filter);
          const { classes: listed, ...rest } = filter as { accountId?: string; sku?: string; classes?: string[] };
          const read = await reviewTotals(handle.db, { partnerId: p, status: s, ...rest, ...(listed ? { classes: listed.join(',') } : {}) });
          expect(read).toEqual(expected);
          checked += expected.count;
        }
      }
    }
    expect(checked).toBeGreaterThan(0); // the previous test left rows behind to check against
  }, 60_000);

  it('stay exact under concurrent writers', async () => {
    const sequences = fc.sample(fc.array(op, { minLength: 10, maxLength: 20 }), { numRuns: 6, seed: name.length });
    // Multi-row statements over the same rows may lock them in different orders; PostgreSQL then fails one
    // statement with a deadlock, whose total changes must roll back with it.
    await Promise.all(
      sequences.map(async (ops) => {
        for (const o of ops) await apply(o).catch((error: unknown) => { if (!isDeadlock(error)) throw error; });
      }),
    );
    await expectTotalsMatchRows();
  }, 120_000);
});

/**
 * Every write statement on `review_changes` takes the partner's review lock in its trigger, after its rows, and keeps
 * it to commit, so a worker's transaction of several statements could deadlock with a decision: each would hold what
 * the other waits for. `lockPartnerReview` first, in both (as the store and the decide use case do), prevents it;
 * without it PostgreSQL detects the deadlock and fails one of the two (shown here, so the test can tell the difference).
 */
describe('a transaction of several review writes against a concurrent decision (PostgreSQL)', () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  const P = PARTNERS[0];
  const change = (k: number) => and(eq(reviewChanges.partnerId, P), eq(reviewChanges.fingerprint, `f${k}`));

  beforeAll(async () => {
    const [, setup] = BOTH_DRIVERS.find(([name]) => name === 'PostgreSQL')!;
    const s = await setup(4);
    drop = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
  });

  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  async function race(lockFirst: boolean): Promise<PromiseSettledResult<unknown>[]> {
    const db = handle.db;
    await db.delete(reviewChanges).where(eq(reviewChanges.partnerId, P));
    await db.insert(reviewChanges).values([row(0, 1, 1, 0), row(0, 2, 1, 0)]);
    let firstWritten!: () => void;
    const written = new Promise<void>((resolve) => (firstWritten = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = db.transaction(async (tx) => {
      if (lockFirst) await lockPartnerReview(tx, P);
      await tx.update(reviewChanges).set({ monthlyAmount: 1 }).where(change(1));
      firstWritten();
      await gate;
      await tx.update(reviewChanges).set({ status: 'superseded' }).where(change(2));
    });
    await written;
    const decision = db.transaction(async (tx) => {
      if (lockFirst) await lockPartnerReview(tx, P);
      await tx.update(reviewChanges).set({ status: 'approved' }).where(and(change(2), eq(reviewChanges.status, 'pending')));
    }); // started now
    await new Promise((resolve) => setTimeout(resolve, 300)); // the decision now waits on a lock
    release();
    return Promise.allSettled([worker, decision]);
  }

  const deadlocked = (r: PromiseSettledResult<unknown>) => r.status === 'rejected' && isDeadlock(r.reason);

  it('without the lock first, PostgreSQL breaks a deadlock', async () => {
    const results = await race(false);
    expect(results.filter(deadlocked)).toHaveLength(1);
  }, 20_000);

  it('with lockPartnerReview first, both commit, one after the other', async () => {
    const results = await race(true);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const [second] = await handle.db.select().from(reviewChanges).where(change(2));
    expect(second.status).toBe('superseded'); // the decision ran after the worker committed: nothing pending left to approve
  }, 20_000);
});
