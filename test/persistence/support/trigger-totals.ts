/**
 * The harness of the property tests of a table of totals kept by triggers (`account_mapping_counts`,
 * `review_change_totals`): a test states its operations, how to apply one, and the totals twice — as the triggers
 * kept them and as a GROUP BY over the rows counts them —, and the harness checks they agree after random sequences
 * of writes and under concurrent writers, on both drivers. Also the race every such table needs pinned: a
 * transaction of several writes against a concurrent one, with and without the partner's lock first.
 */
import fc from 'fast-check';
import { BOTH_DRIVERS, type DriverSetup } from '../../support/postgres';
import { openDatabase, type Database, type DatabaseHandle, type Transaction } from '../../../libs/persistence/src';

/** Totals by group: the group's key, then its numbers (a group whose numbers are all 0 counts as absent). */
export type Totals = [key: string, values: number[]][];

export interface TriggerTotalsSpec<Op> {
  /** The describe block's title, per driver: `<title> on PGlite`, `<title> on PostgreSQL`. */
  title: string;
  op: fc.Arbitrary<Op>;
  /** The property's runs (fixed seed: the same sequences every time). */
  property: { numRuns: number; seed: number; timeout: number };
  /** Rows the table's writes need first (the partners). */
  prepare?(db: Database): Promise<void>;
  apply(db: Database, op: Op): Promise<void>;
  /** The totals as the triggers kept them. */
  kept(db: Database): Promise<Totals>;
  /** The same totals counted from the rows (a GROUP BY). */
  counted(db: Database): Promise<Totals>;
  /** More tests, run after the property on the rows it left behind. */
  more?(db: () => Database): void;
}

/** PostgreSQL's deadlock_detected, on the driver's error or on drizzle's wrapper of it. */
export function isDeadlock(error: unknown): boolean {
  return [(error as { code?: string }).code, ((error as { cause?: { code?: string } }).cause ?? {}).code].includes('40P01');
}

/** A promise of `Promise.allSettled` that failed with a deadlock. */
export const deadlocked = (r: PromiseSettledResult<unknown>): boolean => r.status === 'rejected' && isDeadlock(r.reason);

/** The PostgreSQL row of `BOTH_DRIVERS` (a fresh database): races need real row locks. */
export const POSTGRES = BOTH_DRIVERS.find(([name]) => name === 'PostgreSQL')![1];

/** A migrated database for the enclosing describe block: opened before its tests, closed and removed after them. */
export function migratedDatabase(setup: (poolSize?: number) => Promise<DriverSetup>, poolSize: number, prepare?: (db: Database) => Promise<void>): () => Database {
  let handle: DatabaseHandle | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const s = await setup(poolSize);
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    await prepare?.(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });
  return () => handle!.db;
}

/** The kept totals equal the counted ones after any sequence of writes, and under concurrent writers, on both drivers. */
export function describeTriggerTotals<Op>(spec: TriggerTotalsSpec<Op>): void {
  describe.each(BOTH_DRIVERS)(`${spec.title} on %s`, (name, setup) => {
    const db = migratedDatabase(setup, 6, spec.prepare);

    const asObject = (totals: Totals) => Object.fromEntries(totals.filter(([, values]) => values.some((n) => n !== 0)));
    async function expectKeptEqualCounted(): Promise<void> {
      expect(asObject(await spec.kept(db()))).toEqual(asObject(await spec.counted(db())));
    }

    it('equal a GROUP BY after any sequence of writes', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(spec.op, { minLength: 1, maxLength: 25 }), async (ops) => {
          for (const o of ops) await spec.apply(db(), o);
          await expectKeptEqualCounted();
        }),
        { numRuns: spec.property.numRuns, seed: spec.property.seed },
      );
    }, spec.property.timeout);

    spec.more?.(db);

    it('stay exact under concurrent writers', async () => {
      const sequences = fc.sample(fc.array(spec.op, { minLength: 10, maxLength: 20 }), { numRuns: 6, seed: name.length });
      // Multi-row statements over the same rows may lock them in different orders (an insert's conflict checks
      // against an update's scan); PostgreSQL then fails one statement with a deadlock. That statement's changes
      // to the totals must roll back with it, so a deadlock is allowed here and the totals are still checked.
      await Promise.all(
        sequences.map(async (ops) => {
          for (const o of ops) await spec.apply(db(), o).catch((error: unknown) => { if (!isDeadlock(error)) throw error; });
        }),
      );
      await expectKeptEqualCounted();
    }, 120_000);
  });
}

/**
 * A transaction that writes (`held.first`), then waits while `other` starts and blocks on a lock (300 ms), then
 * writes again (`held.then`): how two writers deadlock when each holds what the other waits for.
 */
export async function raceHeldTransaction(
  db: Database,
  held: { first(tx: Transaction): Promise<unknown>; then(tx: Transaction): Promise<unknown> },
  other: () => Promise<unknown>,
): Promise<PromiseSettledResult<unknown>[]> {
  let firstWritten!: () => void;
  const written = new Promise<void>((resolve) => (firstWritten = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const transaction = db.transaction(async (tx) => {
    await held.first(tx);
    firstWritten();
    await gate;
    await held.then(tx);
  });
  await written;
  const competing = other(); // started now
  await new Promise((resolve) => setTimeout(resolve, 300)); // it now waits on a lock
  release();
  return Promise.allSettled([transaction, competing]);
}
