import { Module } from '@nestjs/common';
import { ScheduleRepository } from './schedule.repository';

/** What the schedule functions read: for the status page and the digests as well as the daily scheduler. */
@Module({ providers: [ScheduleRepository], exports: [ScheduleRepository] })
export class SchedulesModule {}
