import { Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { integrations, notificationDeliveries, notifications, type Database, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
export type NotificationDeliveryRow = typeof notificationDeliveries.$inferSelect;

/** The result of one delivery attempt, as recorded. */
export interface RecordedAttempt {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The notification outbox and its delivery attempts. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** A page of the partner's notifications, newest first, with every delivery attempt of those on it. */
  async page(partnerId: string, page: number, pageSize: number): Promise<{ rows: NotificationRow[]; deliveries: NotificationDeliveryRow[]; total: number }> {
    const where = eq(notifications.partnerId, partnerId);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(notifications).where(where).orderBy(desc(notifications.id)).limit(pageSize).offset((page - 1) * pageSize),
      this.db.select({ total: count() }).from(notifications).where(where),
    ]);
    const deliveries =
      rows.length === 0
        ? []
        : await this.db
            .select()
            .from(notificationDeliveries)
            .where(and(eq(notificationDeliveries.partnerId, partnerId), inArray(notificationDeliveries.notificationId, rows.map((r) => r.id))))
            .orderBy(notificationDeliveries.notificationId, notificationDeliveries.attempt);
    return { rows, deliveries, total };
  }

  /**
   * Claims up to `batch` due notifications of every partner with `FOR UPDATE SKIP LOCKED` and leases them
   * (attempt counted, next attempt pushed to `leaseUntil`) in one short transaction.
   */
  claim(now: Date, leaseUntil: Date, batch: number): Promise<NotificationRow[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(notifications)
        .where(and(eq(notifications.status, 'pending'), lte(notifications.nextAttemptAt, now)))
        .orderBy(asc(notifications.nextAttemptAt), asc(notifications.id))
        .limit(batch)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return [];
      await tx
        .update(notifications)
        .set({ attempts: sql`${notifications.attempts} + 1`, nextAttemptAt: leaseUntil })
        .where(inArray(notifications.id, rows.map((r) => r.id)));
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  /**
   * Records an attempt (once per attempt) and moves the notification on (`next`: sent, failed, or its next
   * attempt); only the holder of this attempt's lease does.
   */
  async record(
    row: Pick<NotificationRow, 'id' | 'partnerId' | 'attempts'>,
    attempt: RecordedAttempt,
    next: { status: 'sent'; sentAt: Date } | { status: 'failed' } | { nextAttemptAt: Date },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .insert(notificationDeliveries)
        .values({ notificationId: row.id, partnerId: row.partnerId, attempt: row.attempts, ...attempt })
        .onConflictDoNothing();
      await tx
        .update(notifications)
        .set({ ...next, lastStatusCode: attempt.statusCode, lastError: attempt.error })
        .where(and(eq(notifications.id, row.id), eq(notifications.attempts, row.attempts), eq(notifications.status, 'pending')));
    });
  }

  /**
   * Queues a notification written in full by the caller (an account statement), unless the partner's
   * integration is disabled or missing: then nothing is written and undefined is returned.
   */
  async enqueueUnlessDisabled(row: Pick<typeof notifications.$inferInsert, 'partnerId' | 'channel' | 'event' | 'subjectKey' | 'recipients' | 'payload'>): Promise<number | undefined> {
    return this.db.transaction(async (tx) => {
      const [integration] = await tx.select({ state: integrations.state }).from(integrations).where(eq(integrations.partnerId, row.partnerId));
      if (!integration || integration.state === 'disabled') return undefined;
      const [inserted] = await tx.insert(notifications).values(row).returning({ id: notifications.id });
      return inserted.id;
    });
  }

  /**
   * Queues notifications in the caller's transaction: they exist if and only if the change that causes them commits.
   * One already queued (same partner, channel, event and subject) is left as it is.
   */
  async insertMissing(tx: Transaction, rows: NewNotification[]): Promise<void> {
    await tx.insert(notifications).values(rows).onConflictDoNothing();
  }

  /** Not sent, for `reason` (the holder of this attempt's lease only). */
  async suppress(row: Pick<NotificationRow, 'id' | 'attempts'>, reason: string): Promise<void> {
    await this.db
      .update(notifications)
      .set({ status: 'suppressed', lastError: reason })
      .where(and(eq(notifications.id, row.id), eq(notifications.attempts, row.attempts), eq(notifications.status, 'pending')));
  }
}
