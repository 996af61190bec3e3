import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { notificationSettings, type Database, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type NotificationSettingsRow = typeof notificationSettings.$inferSelect;
export type NotificationSettingsValues = Omit<NotificationSettingsRow, 'partnerId' | 'version' | 'updatedAt'>;
type Values = NotificationSettingsValues;

/** Who hears about what, per partner (versioned like the export settings). */
@Injectable()
export class NotificationSettingsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** The partner's settings; `tx` reads them in the caller's transaction. */
  async find(partnerId: string, tx: Database | Transaction = this.db): Promise<NotificationSettingsRow | undefined> {
    const [row] = await tx.select().from(notificationSettings).where(eq(notificationSettings.partnerId, partnerId));
    return row;
  }

  /** The first version; undefined when another request inserted first. */
  async insert(partnerId: string, values: Values): Promise<NotificationSettingsRow | undefined> {
    const [row] = await this.db
      .insert(notificationSettings)
      .values({ partnerId, ...values, version: 1, updatedAt: new Date() })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  /** Compare-and-set on `version`; undefined when the stored version moved on. */
  async update(partnerId: string, expectedVersion: number, values: Partial<Values>): Promise<NotificationSettingsRow | undefined> {
    const [row] = await this.db
      .update(notificationSettings)
      .set({ ...values, version: sql`${notificationSettings.version} + 1`, updatedAt: new Date() })
      .where(and(eq(notificationSettings.partnerId, partnerId), eq(notificationSettings.version, expectedVersion)))
      .returning();
    return row;
  }
}
