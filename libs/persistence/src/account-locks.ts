import { asc, eq } from 'drizzle-orm';
import type { Database } from './database';
import { accountMappings } from './schema';

/**
 * A transaction that writes several of a partner's `account_mappings` rows in separate statements must call
 * this first. Every write statement ends by locking the partner's rows in `account_mapping_counts` and
 * `account_mapping_revisions` (the triggers of migration 0005), and the transaction keeps those locks. A
 * single-row edit locks its row first and those rows second; if the long transaction then reached for that
 * row, each would wait for the other (a deadlock, which PostgreSQL breaks by failing one). Locking all the
 * partner's rows up front, in one statement and in key order, makes the order the same everywhere: rows,
 * then counts, then revision.
 */
export async function lockPartnerAccounts(tx: Pick<Database, 'select'>, partnerId: string): Promise<void> {
  await tx
    .select({ accountId: accountMappings.accountId })
    .from(accountMappings)
    .where(eq(accountMappings.partnerId, partnerId))
    .orderBy(asc(accountMappings.accountId))
    .for('update');
}
