import { Injectable } from '@nestjs/common';
import { and, asc, inArray, isNull } from 'drizzle-orm';
import { outbox, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type OutboxRow = typeof outbox.$inferSelect;

/** The message outbox, as the relay drains it (every partner's rows; the run window writes and holds them). */
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
}
