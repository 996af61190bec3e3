import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './database';
import { accountMappings } from './schema';

/** A drizzle transaction on the product's schema. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

declare const partnerLocked: unique symbol;

/**
 * A transaction in which every `account_mappings` row of one partner is locked: the only kind of transaction
 * that may write those rows in more than one statement. Made by {@link inPartnerTransaction} alone (the brand
 * cannot be forged without a cast); repositories that write the partner's rows take one.
 */
export interface PartnerTransaction {
  readonly tx: Transaction;
  readonly partnerId: string;
  readonly [partnerLocked]: true;
}

/**
 * Runs `work` in a transaction that has first locked the partner's `account_mappings` rows.
 *
 * Why: every write statement on `account_mappings` ends by locking the partner's rows in
 * `account_mapping_counts` and `account_mapping_revisions` (the triggers of migration 0005), and the
 * transaction keeps those locks. A single-row edit locks its row first and those rows second; if a longer
 * transaction then reached for that row, each would wait for the other (a deadlock, which PostgreSQL breaks
 * by failing one). Locking all the partner's rows up front, in one statement and in key order, makes the
 * order the same everywhere: rows, then counts, then revision. Migration 0013 makes the database refuse a
 * transaction that writes one partner's rows in a second statement without this lock.
 */
export async function inPartnerTransaction<T>(db: Database, partnerId: string, work: (ptx: PartnerTransaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await lockPartnerAccounts(tx, partnerId);
    return work(Object.freeze({ tx, partnerId }) as PartnerTransaction);
  });
}

/**
 * The lock itself, for a transaction opened elsewhere: every row of the partner, in key order, and the
 * transaction-local mark (`cwx.mapping_locked`) that migration 0013's triggers look for. Prefer
 * {@link inPartnerTransaction}.
 */
export async function lockPartnerAccounts(tx: Pick<Database, 'select' | 'execute'>, partnerId: string): Promise<void> {
  await tx
    .select({ accountId: accountMappings.accountId })
    .from(accountMappings)
    .where(eq(accountMappings.partnerId, partnerId))
    .orderBy(asc(accountMappings.accountId))
    .for('update');
  await tx.execute(sql`select set_config('cwx.mapping_locked', coalesce(current_setting('cwx.mapping_locked', true), '') || ',' || ${partnerId}::text || ',', true)`);
}
