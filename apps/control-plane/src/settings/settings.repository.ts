import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { exportSettings, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type SettingsRow = typeof exportSettings.$inferSelect;
export type SettingsValues = Omit<SettingsRow, 'partnerId' | 'version' | 'updatedAt'>;

@Injectable()
export class SettingsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async find(partnerId: string): Promise<SettingsRow | undefined> {
    const [row] = await this.db.select().from(exportSettings).where(eq(exportSettings.partnerId, partnerId));
    return row;
  }

  /** Inserts the first version; returns undefined when another request inserted first. */
  async insert(partnerId: string, values: SettingsValues): Promise<SettingsRow | undefined> {
    const [row] = await this.db
      .insert(exportSettings)
      .values({ partnerId, ...values, version: 1, updatedAt: new Date() })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  /** Compare-and-set on `version`; returns undefined when the stored version moved on. */
  async update(partnerId: string, expectedVersion: number, values: SettingsValues): Promise<SettingsRow | undefined> {
    const [row] = await this.db
      .update(exportSettings)
      .set({ ...values, version: sql`${exportSettings.version} + 1`, updatedAt: new Date() })
      .where(and(eq(exportSettings.partnerId, partnerId), eq(exportSettings.version, expectedVersion)))
      .returning();
    return row;
  }
}
