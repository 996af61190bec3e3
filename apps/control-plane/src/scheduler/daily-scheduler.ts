import { Injectable, Logger } from '@nestjs/common';
import { and, eq, isNotNull } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { connectwiseCredentials, exportSettings, integrations, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { StartRun } from '../runs/start-run.use-case';

export interface DueRun {
  partnerId: string;
  localDate: string;
}

/**
 * Fires the daily export. Every replica may tick: a run is keyed by (partner, local date) with a unique
 * index, so the first insert wins and the others do nothing. A partner is due once its local time has
 * passed the daily time on that local date and no scheduled run exists for the date yet (so a control
 * plane that starts late still runs today's export, once).
 */
@Injectable()
export class DailyScheduler {
  private readonly logger = new Logger('DailyScheduler');

  constructor(
    @InjectDatabase() private readonly db: Database,
    private readonly startRun: StartRun,
  ) {}

  /** Partners whose daily time has passed today in their zone. Active integrations with keys only. */
  async due(now: Date): Promise<DueRun[]> {
    const rows = await this.db
      .select({ partnerId: exportSettings.partnerId, dailyTime: exportSettings.dailyTime, timeZone: exportSettings.timeZone })
      .from(exportSettings)
      .innerJoin(integrations, eq(integrations.partnerId, exportSettings.partnerId))
      .innerJoin(connectwiseCredentials, eq(connectwiseCredentials.partnerId, exportSettings.partnerId))
      .where(and(eq(exportSettings.mode, 'daily'), isNotNull(exportSettings.dailyTime), eq(integrations.state, 'active')));
    const due: DueRun[] = [];
    for (const row of rows) {
      const local = DateTime.fromJSDate(now, { zone: row.timeZone });
      if (!local.isValid || !row.dailyTime) continue;
      const [hour, minute] = row.dailyTime.split(':').map(Number);
      const scheduled = local.set({ hour, minute, second: 0, millisecond: 0 });
      if (local >= scheduled) due.push({ partnerId: row.partnerId, localDate: local.toISODate() ?? '' });
    }
    return due;
  }

  /** One tick: start every due run that does not exist yet. Returns the runs this replica started. */
  async tick(now = new Date()): Promise<string[]> {
    const started: string[] = [];
    for (const { partnerId, localDate } of await this.due(now)) {
      try {
        const run = await this.startRun.tryStart({ partnerId, trigger: 'scheduled', scheduledForDate: localDate });
        if (run) {
          started.push(run.id);
          this.logger.log({ partnerId, runId: run.id, localDate }, 'scheduled export started');
        }
      } catch (error) {
        this.logger.warn({ partnerId, err: error instanceof Error ? error.message : String(error) }, 'scheduled export not started');
      }
    }
    return started;
  }
}
