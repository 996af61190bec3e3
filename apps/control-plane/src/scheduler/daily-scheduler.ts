import { Injectable } from '@nestjs/common';
import { nestLogger } from '@cwx/observability';
import { StartRun } from '../runs/start-run.use-case';
import { exportSchedule } from './schedule';
import { ScheduleRepository } from './schedule.repository';

export interface DueRun {
  partnerId: string;
  localDate: string;
}

/**
 * Fires the daily export. Every replica may tick: a run is keyed by (partner, local date) with a unique
 * index, so the first insert wins and the others do nothing. Whether and when a partner is due is
 * `exportSchedule`'s answer (the same function the status page shows the next export from): once its
 * local time has passed the daily time on that local date, and no scheduled run exists for the date yet
 * (so a control plane that starts late still runs today's export, once).
 */
@Injectable()
export class DailyScheduler {
  private readonly logger = nestLogger('DailyScheduler');

  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly startRun: StartRun,
  ) {}

  /** Partners whose export is due at `now` (today's daily time has passed in their zone). */
  async due(now: Date): Promise<DueRun[]> {
    const due: DueRun[] = [];
    for (const { partnerId, ...input } of await this.schedules.dailyExportInputs()) {
      const schedule = exportSchedule(input, now);
      if (schedule.scheduled && schedule.due) due.push({ partnerId, localDate: schedule.due.localDate });
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
          this.logger.info({ partnerId, runId: run.id, localDate }, 'scheduled export started');
        }
      } catch (error) {
        this.logger.warn({ partnerId, err: error instanceof Error ? error.message : String(error) }, 'scheduled export not started');
      }
    }
    return started;
  }
}
