import { Injectable } from '@nestjs/common';
import { eq, ne } from 'drizzle-orm';
import { connectwiseCredentials, exportSettings, integrations, notificationSettings, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import type { DigestScheduleInput, ExportScheduleInput } from './schedule';

/** The inputs of the schedule functions (`schedule.ts`), read for one partner or for every partner the scheduler looks at. */
@Injectable()
export class ScheduleRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** One partner's export schedule input; undefined when the partner does not exist. */
  async exportInput(partnerId: string): Promise<ExportScheduleInput | undefined> {
    const [row] = await this.exportInputs().where(eq(integrations.partnerId, partnerId));
    return row && toExportInput(row);
  }

  /** Every partner in daily mode (the schedule function decides which of them are scheduled). */
  async dailyExportInputs(): Promise<(ExportScheduleInput & { partnerId: string })[]> {
    const rows = await this.exportInputs().where(eq(exportSettings.mode, 'daily'));
    return rows.map((row) => ({ partnerId: row.partnerId, ...toExportInput(row) }));
  }

  /** Every partner on a digest cadence. */
  async digestInputs(): Promise<(DigestScheduleInput & { partnerId: string })[]> {
    return this.db
      .select({
        partnerId: notificationSettings.partnerId,
        cadence: notificationSettings.cadence,
        cadenceSince: notificationSettings.updatedAt,
        state: integrations.state,
        timeZone: exportSettings.timeZone,
      })
      .from(notificationSettings)
      .innerJoin(integrations, eq(integrations.partnerId, notificationSettings.partnerId))
      .leftJoin(exportSettings, eq(exportSettings.partnerId, notificationSettings.partnerId))
      .where(ne(notificationSettings.cadence, 'every_run'));
  }

  private exportInputs() {
    return this.db
      .select({
        partnerId: integrations.partnerId,
        state: integrations.state,
        credentials: connectwiseCredentials.partnerId,
        mode: exportSettings.mode,
        dailyTime: exportSettings.dailyTime,
        timeZone: exportSettings.timeZone,
      })
      .from(integrations)
      .leftJoin(exportSettings, eq(exportSettings.partnerId, integrations.partnerId))
      .leftJoin(connectwiseCredentials, eq(connectwiseCredentials.partnerId, integrations.partnerId))
      .$dynamic();
  }
}

function toExportInput(row: {
  state: ExportScheduleInput['state'];
  credentials: string | null;
  mode: 'manual' | 'daily' | null;
  dailyTime: string | null;
  timeZone: string | null;
}): ExportScheduleInput {
  return {
    state: row.state,
    credentialsStored: row.credentials !== null,
    settings: row.mode && row.timeZone ? { mode: row.mode, dailyTime: row.dailyTime, timeZone: row.timeZone } : undefined,
  };
}
