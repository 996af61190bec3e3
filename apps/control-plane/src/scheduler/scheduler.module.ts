import { type DynamicModule, Injectable, Module } from '@nestjs/common';
import { Interval, ScheduleModule } from '@nestjs/schedule';
import { nestLogger } from '@cwx/observability';
import { RunsModule } from '../runs/runs.module';
import { DailyScheduler } from './daily-scheduler';
import { SchedulesModule } from './schedules.module';

/** Ticks the daily scheduler every 30 seconds while the app runs; a slow tick is never overlapped. */
@Injectable()
class SchedulerTicker {
  private readonly logger = nestLogger('SchedulerTicker');
  private busy = false;

  constructor(private readonly scheduler: DailyScheduler) {}

  @Interval('daily-export-scheduler', 30_000)
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.scheduler.tick();
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'scheduler tick failed');
    } finally {
      this.busy = false;
    }
  }
}

/** The daily scheduler; `enabled: false` (tests, worker-only processes) keeps the use-case without the ticker. */
@Module({})
export class SchedulerModule {
  static forRoot(options: { enabled: boolean }): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [RunsModule, SchedulesModule, ...(options.enabled ? [ScheduleModule.forRoot()] : [])],
      providers: [DailyScheduler, ...(options.enabled ? [SchedulerTicker] : [])],
      exports: [DailyScheduler],
    };
  }
}
