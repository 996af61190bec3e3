import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { ReadRuns } from './read-runs.use-cases';
import { RecordRunResults } from './record-results.use-cases';
import { RunsController } from './runs.controller';
import { OutboxSignal } from './outbox-signal';
import { StartRun } from './start-run.use-case';

@Module({
  imports: [PartnersModule],
  controllers: [RunsController],
  providers: [StartRun, ReadRuns, RecordRunResults, OutboxSignal],
  exports: [StartRun, RecordRunResults, OutboxSignal],
})
export class RunsModule {}
