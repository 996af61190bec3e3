import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { partners } from './partners';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const NOTIFICATION_EVENTS = [
  'run.report',
  'run.failed',
  'credentials.rejected',
  'account.failing',
  'accounts.unmapped',
  'suggestions.pending',
  'review.pending',
] as const;
export const NOTIFICATION_CADENCES = ['every_run', 'daily_digest', 'weekly_digest'] as const;

/**
 * Where and when a partner hears about its exports. The webhook secret is stored only as AES-256-GCM
 * ciphertext (like ConnectWise private keys), shown once when it is generated.
 */
export const notificationSettings = pgTable('notification_settings', {
  partnerId: text('partner_id')
    .primaryKey()
    .references(() => partners.id),
  emailRecipients: jsonb('email_recipients').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  webhookUrl: text('webhook_url'),
  webhookSecretCiphertext: bytea('webhook_secret_ciphertext'),
  webhookSecretIv: bytea('webhook_secret_iv'),
  webhookSecretTag: bytea('webhook_secret_tag'),
  webhookSecretKeyId: text('webhook_secret_key_id'),
  events: jsonb('events').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  cadence: text('cadence', { enum: NOTIFICATION_CADENCES }).notNull().default('every_run'),
  /** No run report (nor digest) when a run changed nothing and nothing failed. */
  silentWhenUnchanged: boolean('silent_when_unchanged').notNull().default(true),
  /** An account failing on this many consecutive runs raises `account.failing`. */
  failingRunsThreshold: integer('failing_runs_threshold').notNull().default(3),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The notification outbox: one row per (partner, channel, event, subject), written in the same
 * transaction as the state change that causes it, so a redelivered result or a second replica finds the
 * row already there. The dispatcher claims due rows with `FOR UPDATE SKIP LOCKED`, sends, records.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    channel: text('channel', { enum: ['email', 'webhook'] }).notNull(),
    event: text('event').notNull(),
    /** What the notification is about: a run id, a digest period, a hash of the accounts it names… */
    subjectKey: text('subject_key').notNull(),
    /** E-mail addresses or the webhook URL, as configured when the row was written. */
    recipients: jsonb('recipients').$type<string[]>().notNull(),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    status: text('status', { enum: ['pending', 'sent', 'failed', 'suppressed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_once_uq').on(t.partnerId, t.channel, t.event, t.subjectKey),
    index('notifications_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('notifications_partner_created_idx').on(t.partnerId, t.createdAt),
  ],
);

/** Every attempt to deliver a notification: status code (webhooks, SMTP reply), error, duration. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id),
    partnerId: text('partner_id').notNull(),
    attempt: integer('attempt').notNull(),
    ok: boolean('ok').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('notification_deliveries_attempt_uq').on(t.notificationId, t.attempt)],
);
