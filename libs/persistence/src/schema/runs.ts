import { sql } from 'drizzle-orm';
import { bigserial, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { partners } from './partners';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partially_failed', 'failed', 'nothing_to_export'] as const;

/**
 * An export run. A scheduled run is unique per (partner, local date), so however many control-plane
 * replicas tick, "daily" fires once; at most one run per partner is queued or running at a time.
 */
export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    /** `review`: a run of approved changes only (the review queue's "apply"). */
    trigger: text('trigger', { enum: ['manual', 'scheduled', 'review'] }).notNull(),
    scheduledForDate: date('scheduled_for_date'),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('queued'),
    totalAccounts: integer('total_accounts').notNull().default(0),
    doneAccounts: integer('done_accounts').notNull().default(0),
    changedAccounts: integer('changed_accounts').notNull().default(0),
    unchangedAccounts: integer('unchanged_accounts').notNull().default(0),
    failedAccounts: integer('failed_accounts').notNull().default(0),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('runs_scheduled_once_per_day_uq').on(t.partnerId, t.scheduledForDate).where(sql`${t.trigger} = 'scheduled'`),
    uniqueIndex('runs_one_active_per_partner_uq').on(t.partnerId).where(sql`${t.status} in ('queued', 'running')`),
    index('runs_partner_created_idx').on(t.partnerId, t.createdAt),
  ],
);

/** The per-account log of a run: one row per (run, account), written by the result consumer only. */
export const exportLog = pgTable(
  'export_log',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id),
    partnerId: text('partner_id').notNull(),
    accountId: text('account_id').notNull(),
    accountName: text('account_name').notNull(),
    status: text('status', { enum: ['changed', 'unchanged', 'failed', 'skipped'] }).notNull(),
    operations: jsonb('operations').notNull().default(sql`'[]'::jsonb`),
    /** What the partner should read that did not fail the account (`{ code, sku?, message }[]`). */
    warnings: jsonb('warnings').notNull().default(sql`'[]'::jsonb`),
    error: jsonb('error'),
    attempts: integer('attempts').notNull().default(1),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.accountId] }), index('export_log_run_status_idx').on(t.runId, t.status)],
);

/** The log of a run's catalog phase: one row per run, written by the result consumer with the phase's result. */
export const catalogLog = pgTable('catalog_log', {
  runId: uuid('run_id')
    .primaryKey()
    .references(() => runs.id),
  partnerId: text('partner_id').notNull(),
  status: text('status', { enum: ['succeeded', 'failed'] }).notNull(),
  operations: jsonb('operations').notNull().default(sql`'[]'::jsonb`),
  warnings: jsonb('warnings').notNull().default(sql`'[]'::jsonb`),
  error: jsonb('error'),
  attempts: integer('attempts').notNull().default(1),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Messages to publish, written in the same transaction as the state change that causes them. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: text('message_id').notNull(),
    routingKey: text('routing_key').notNull(),
    payload: jsonb('payload').notNull(),
    headers: jsonb('headers').notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /**
     * Account jobs of a run beyond its window wait here, held, and are released one by one as results
     * come in: a partner's jobs then never fill the queue ahead of other partners' (fairness), while
     * every job is already durable from the fan-out on.
     */
    heldForRun: uuid('held_for_run'),
  },
  (t) => [
    uniqueIndex('outbox_message_id_uq').on(t.messageId),
    index('outbox_unpublished_idx').on(t.id).where(sql`${t.publishedAt} is null and ${t.heldForRun} is null`),
    index('outbox_held_idx').on(t.heldForRun, t.id).where(sql`${t.heldForRun} is not null`),
  ],
);
