import { sql, type SQL, type Placeholder } from 'drizzle-orm';
import type { Database } from './database';
import type { reviewChanges } from './schema';

/**
 * Takes the partner's review lock for the rest of the transaction (the advisory lock of migration 0015). Every
 * statement that writes `review_changes` takes it in its trigger, after the rows it writes, before it updates
 * `review_change_totals`, and keeps it to commit. So every writer takes it first, before any row: otherwise a
 * statement holding rows would wait for the lock while the lock's holder waits for those rows (a deadlock, which
 * PostgreSQL breaks by failing one). The worker's recording and marking, and the partner's decisions, do.
 */
export async function lockPartnerReview(tx: Pick<Database, 'execute'>, partnerId: string): Promise<void> {
  await tx.execute(sql`select lock_partner_review(${partnerId})`);
}

export type ReviewChangeStatus = (typeof reviewChanges.$inferSelect)['status'];

/** A value, or a placeholder of a prepared statement. */
type Bound<T> = T | Placeholder;

export interface ReviewTotalsFilter {
  partnerId: Bound<string>;
  status: Bound<ReviewChangeStatus>;
  accountId?: Bound<string>;
  sku?: Bound<string>;
  /** Comma-separated class names; a change matches when it has one of them. */
  classes?: Bound<string>;
}

export interface ReviewTotals {
  count: number;
  /** Monthly amount the matching changes add (sum of the positive amounts), rounded to cents. */
  monthlyAdded: number;
  /** Monthly amount they remove (sum of the negative amounts, negative), rounded to cents. */
  monthlyRemoved: number;
  /** Changes without an amount (no price known). */
  unpriced: number;
}

/**
 * The queue's totals over every change the filter matches, as a SQL expression of one JSON object
 * ({@link ReviewTotals}), to be read alone ({@link reviewTotals}) or inside a larger statement. Without an
 * account they add up the trigger-kept `review_change_totals` (a few rows per partner, whatever the queue's
 * length); one account's changes are few, so they are added up from `review_changes` by its account index.
 */
export function reviewTotalsSql(f: ReviewTotalsFilter): SQL {
  const overlaps = f.classes === undefined ? sql`` : sql` and classes && string_to_array(${f.classes}::text, ',')`;
  const sku = f.sku === undefined ? sql`` : sql` and sku = ${f.sku}::text`;
  if (f.accountId !== undefined) {
    return sql`(select json_build_object(
        'count', count(*),
        'monthlyAdded', round(coalesce(sum(monthly_amount::numeric) filter (where monthly_amount > 0), 0), 2)::float8,
        'monthlyRemoved', round(coalesce(sum(monthly_amount::numeric) filter (where monthly_amount < 0), 0), 2)::float8,
        'unpriced', count(*) filter (where monthly_amount is null))
      from review_changes
      where partner_id = ${f.partnerId}::text and account_id = ${f.accountId}::text and status = ${f.status}::text${sku}${overlaps})`;
  }
  return sql`(select json_build_object(
      'count', coalesce(sum(changes), 0),
      'monthlyAdded', round(coalesce(sum(monthly_added), 0), 2)::float8,
      'monthlyRemoved', round(coalesce(sum(monthly_removed), 0), 2)::float8,
      'unpriced', coalesce(sum(unpriced), 0))
    from review_change_totals
    where partner_id = ${f.partnerId}::text and status = ${f.status}::text${sku}${overlaps})`;
}

/** {@link reviewTotalsSql}, read. */
export async function reviewTotals(db: Pick<Database, 'execute'>, filter: ReviewTotalsFilter): Promise<ReviewTotals> {
  const [row] = await selectRows<{ totals: string }>(db, sql`select ${reviewTotalsSql(filter)}::text as totals`);
  return JSON.parse(row.totals) as ReviewTotals;
}

/** The rows of a statement written in SQL (both drivers answer `execute` with `{ rows }`). */
export async function selectRows<T>(db: Pick<Database, 'execute'>, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as { rows: T[] }).rows;
}
