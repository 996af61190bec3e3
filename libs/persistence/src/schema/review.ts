import { sql } from 'drizzle-orm';
import { bigint, bigserial, date, doublePrecision, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** The partner's review policy (@cwx/domain ReviewPolicy as JSON). No row: nothing waits (the behaviour before review). */
export const reviewPolicies = pgTable('review_policies', {
  partnerId: text('partner_id').primaryKey(),
  policy: jsonb('policy').notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Changes held for review, one row per (agreement, SKU, fingerprint): the fingerprint is the value the change would
 * write, so a new platform value is a new row. `status`: `pending` (in the queue), `approved` (let through, possibly
 * adjusted), `dismissed` (kept out until the platform value changes), `applied` (an approved change written),
 * `superseded` (the platform moved on, or ConnectWise came to hold the value, before anyone decided).
 */
export const reviewChanges = pgTable(
  'review_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partnerId: text('partner_id').notNull(),
    accountId: text('account_id').notNull(),
    accountName: text('account_name').notNull(),
    agreementId: integer('agreement_id').notNull(),
    sku: text('sku').notNull(),
    additionId: integer('addition_id'),
    fingerprint: text('fingerprint').notNull(),
    classes: text('classes').array().notNull(),
    reason: text('reason', { enum: ['policy', 'edited-in-connectwise'] }).notNull(),
    before: jsonb('before'),
    after: jsonb('after').notNull(),
    monthlyAmount: doublePrecision('monthly_amount'),
    status: text('status', { enum: ['pending', 'approved', 'dismissed', 'applied', 'superseded'] }).notNull().default('pending'),
    adjustedQuantity: doublePrecision('adjusted_quantity'),
    adjustedEffectiveDate: date('adjusted_effective_date', { mode: 'string' }),
    /** The run date (partner's time zone) the change was first seen on: its change date, whenever it is approved. */
    firstSeenOn: date('first_seen_on', { mode: 'string' }).notNull(),
    waitingSince: timestamp('waiting_since', { withTimezone: true }).notNull().defaultNow(),
    lastSeenRunId: text('last_seen_run_id'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    appliedRunId: text('applied_run_id'),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    /**
     * The row as the queue's page lists it (a `ReviewChangeDto`, JSON text), written by a BEFORE INSERT OR UPDATE
     * trigger from the other columns (migration 0016): a page concatenates 100 of these instead of building them
     * with json_build_object on every read, which was most of the page's cost in PostgreSQL. Never written by code.
     */
    itemJson: text('item_json'),
  },
  (t) => [
    uniqueIndex('review_changes_line_value').on(t.partnerId, t.agreementId, t.sku, t.fingerprint),
    index('review_changes_queue').on(t.partnerId, t.status, t.waitingSince),
    // The queue as the partner reads it (pending, oldest first): a page's keys and its filters (account, SKU,
    // classes) come from this index alone (an index-only scan), the page's rows are then read by id.
    index('review_changes_pending_idx')
      .on(t.partnerId, t.waitingSince, t.id, t.accountId, t.sku, t.classes)
      .where(sql`${t.status} = 'pending'`),
    index('review_changes_account_idx').on(t.partnerId, t.accountId, t.status),
  ],
);

/**
 * The queue's totals per (status, SKU, set of classes): a partner's totals, or a SKU's or some classes', add up
 * a few of these rows instead of every change. Kept exact by statement-level triggers on `review_changes`
 * (migration 0015), in the same transaction as every write; nothing in the application writes it. Sums are
 * numeric, so adding and removing the same amounts leaves no rounding residue.
 */
export const reviewChangeTotals = pgTable(
  'review_change_totals',
  {
    partnerId: text('partner_id').notNull(),
    status: text('status').notNull(),
    sku: text('sku').notNull(),
    classes: text('classes').array().notNull(),
    changes: integer('changes').notNull(),
    monthlyAdded: numeric('monthly_added').notNull(),
    monthlyRemoved: numeric('monthly_removed').notNull(),
    unpriced: integer('unpriced').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.status, t.sku, t.classes] })],
);

/**
 * A per-partner revision of the queue: set from the sequence `review_revision_seq` by a statement-level trigger on
 * every statement that writes `review_changes` (migration 0017), in the same transaction. A reader that keeps a page
 * with the revision it was read at may serve it again while the revision is unchanged. Values come from one sequence,
 * so a revision never repeats, also after its row is deleted (TRUNCATE) and written again.
 */
export const reviewRevisions = pgTable('review_revisions', {
  partnerId: text('partner_id').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
});

/** Every decision on a held change, never updated or deleted: who, when, what (the partner's audit trail). */
export const reviewDecisions = pgTable(
  'review_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partnerId: text('partner_id').notNull(),
    changeId: integer('change_id').notNull(),
    action: text('action', { enum: ['approve', 'adjust', 'dismiss', 'apply'] }).notNull(),
    actor: text('actor').notNull(),
    detail: jsonb('detail').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('review_decisions_partner').on(t.partnerId, t.at)],
);

/** What one of our additions held after our last write (or when we took it over): edits made in ConnectWise are judged against it. */
export const writtenLines = pgTable(
  'written_lines',
  {
    partnerId: text('partner_id').notNull(),
    agreementId: integer('agreement_id').notNull(),
    additionId: integer('addition_id').notNull(),
    quantity: doublePrecision('quantity'),
    unitPrice: doublePrecision('unit_price'),
    unitCost: doublePrecision('unit_cost'),
    cancelledDate: text('cancelled_date'),
    writtenAt: timestamp('written_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.agreementId, t.additionId] })],
);
