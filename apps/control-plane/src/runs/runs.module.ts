import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping/mapping.module';
import { PartnersModule } from '../partners/partners.module';
import { ReadRuns } from './read-runs.use-cases';
import { OutboxRepository } from '../messaging/outbox.repository';
import { RunWindow } from '../messaging/run-window';
import { RecordRunResults } from './record-results.use-cases';
import { RunProgress } from './run-progress';
import { RunsController } from './runs.controller';
import { RunsRepository } from './runs.repository';
import { OutboxSignal } from './outbox-signal';
import { StartRun } from './start-run.use-case';

@Module({
  imports: [PartnersModule, MappingModule],
  controllers: [RunsController],
  providers: [RunsRepository, StartRun, ReadRuns, RunProgress, RecordRunResults, OutboxSignal, RunWindow, OutboxRepository],
  exports: [RunsRepository, StartRun, RecordRunResults, OutboxSignal],
})
export class RunsModule {}
