/**
 * `review_change_totals` is kept by triggers (migration 0015). After any mix of writes — bulk inserts, upserts
 * that bring a superseded change back, status, amount and class changes, deletes, rolled-back transactions,
 * concurrent writers — it must equal a GROUP BY over `review_changes`, on both drivers (the harness:
 * ./support/trigger-totals); and the queue's totals read from it (`reviewTotals`) must equal the totals counted
 * from the rows, for every filter.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { lockPartnerReview, reviewChangeTotals, reviewChanges, reviewTotals, type Database } from '../../libs/persistence/src';
import { deadlocked, describeTriggerTotals, migratedDatabase, POSTGRES, raceHeldTransaction } from './support/trigger-totals';

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

const scope = (p: number, list: number[]) => and(eq(reviewChanges.partnerId, PARTNERS[p]), inArray(reviewChanges.fingerprint, list.map((k) => `f${k}`)));

async function apply(db: Database, o: Op): Promise<void> {
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

/** A group's totals as the triggers keep them, and as the rows count them. */
const key = (r: { partnerId: string; status: string; sku: string; classes: string[] }) => `${r.partnerId}/${r.status}/${r.sku}/${r.classes.join('+')}`;
const value = (r: { changes: number; monthlyAdded: string; monthlyRemoved: string; unpriced: number }) => [r.changes, Number(r.monthlyAdded), Number(r.monthlyRemoved), r.unpriced];

describeTriggerTotals({
  title: 'review totals',
  op,
  property: { numRuns: 30, seed: 15, timeout: 180_000 },
  apply,
  kept: async (db) => (await db.select().from(reviewChangeTotals)).map((r) => [key(r), value(r)]),
  counted: async (db) =>
    (
      await db
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
        .groupBy(reviewChanges.partnerId, reviewChanges.status, reviewChanges.sku, reviewChanges.classes)
    ).map((r) => [key(r), value(r)]),
  more: (db) => {
    it('give the queue totals counted from the rows, for every filter', async () => {
      const counted = async (p: string, s: (typeof STATUSES)[number], filter: { accountId?: string; sku?: string; classes?: string[] }) => {
        const [r] = await db()
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
            const read = await reviewTotals(db(), { partnerId: p, status: s, ...rest, ...(listed ? { classes: listed.join(',') } : {}) });
            expect(read).toEqual(expected);
            checked += expected.count;
          }
        }
      }
      expect(checked).toBeGreaterThan(0); // the previous test left rows behind to check against
    }, 60_000);
  },
});

/**
 * Every write statement on `review_changes` takes the partner's review lock in its trigger, after its rows, and keeps
 * it to commit, so a worker's transaction of several statements could deadlock with a decision: each would hold what
 * the other waits for. `lockPartnerReview` first, in both (as the store and the decide use case do), prevents it;
 * without it PostgreSQL detects the deadlock and fails one of the two (shown here, so the test can tell the difference).
 */
describe('a transaction of several review writes against a concurrent decision (PostgreSQL)', () => {
  const P = PARTNERS[0];
  const db = migratedDatabase(POSTGRES, 4);
  const change = (k: number) => and(eq(reviewChanges.partnerId, P), eq(reviewChanges.fingerprint, `f${k}`));

  async function race(lockFirst: boolean): Promise<PromiseSettledResult<unknown>[]> {
    await db().delete(reviewChanges).where(eq(reviewChanges.partnerId, P));
    await db().insert(reviewChanges).values([row(0, 1, 1, 0), row(0, 2, 1, 0)]);
    return raceHeldTransaction(
      db(),
      {
        first: async (tx) => {
          if (lockFirst) await lockPartnerReview(tx, P);
          await tx.update(reviewChanges).set({ monthlyAmount: 1 }).where(change(1));
        },
        then: (tx) => tx.update(reviewChanges).set({ status: 'superseded' }).where(change(2)),
      },
      // the decision
      () =>
        db().transaction(async (tx) => {
          if (lockFirst) await lockPartnerReview(tx, P);
          await tx.update(reviewChanges).set({ status: 'approved' }).where(and(change(2), eq(reviewChanges.status, 'pending')));
        }),
    );
  }

  it('without the lock first, PostgreSQL breaks a deadlock', async () => {
    const results = await race(false);
    expect(results.filter(deadlocked)).toHaveLength(1);
  }, 20_000);

  it('with lockPartnerReview first, both commit, one after the other', async () => {
    const results = await race(true);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const [second] = await db().select().from(reviewChanges).where(change(2));
    expect(second.status).toBe('superseded'); // the decision ran after the worker committed: nothing pending left to approve
  }, 20_000);
});
