import { Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { outbox, type Database, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;

/**
 * The message outbox, as the relay drains it (every partner's rows), and as runs write into it: in the caller's
 * transaction, so that a message exists if and only if the state change that sends it committed.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /**
   * Claims up to `batch` ready rows (not published, not held) in id order with `FOR UPDATE SKIP LOCKED`,
   * hands them to `publish`, and marks them published in the same transaction; returns how many. A
   * `publish` that throws leaves them unpublished.
   */
  publishBatch(batch: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(outbox)
        .where(and(isNull(outbox.publishedAt), isNull(outbox.heldForRun)))
        .orderBy(asc(outbox.id))
        .limit(batch)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
      await publish(rows);
      await tx
        .update(outbox)
        .set({ publishedAt: new Date() })
        .where(inArray(outbox.id, rows.map((r) => r.id)));
      return rows.length;
    });
  }

  /** One message, in the caller's transaction. */
  async insert(tx: Transaction, row: NewOutboxRow): Promise<void> {
    await tx.insert(outbox).values(row);
  }

  /** Messages in the caller's transaction, 500 a statement; one already written (same message id) is left as it is. */
  async insertMissing(tx: Transaction, rows: readonly NewOutboxRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(outbox).values(rows.slice(i, i + 500)).onConflictDoNothing();
    }
  }

  /** Releases a run's next `count` held messages (all of them with 'all') to the relay, oldest first, in the caller's transaction. */
  async releaseHeld(tx: Transaction, runId: string, count: number | 'all'): Promise<void> {
    const held = tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.heldForRun, runId)).orderBy(asc(outbox.id));
    const ids = (count === 'all' ? await held : await held.limit(count)).map((r) => r.id);
    if (ids.length > 0) await tx.update(outbox).set({ heldForRun: null }).where(inArray(outbox.id, ids));
  }
}
