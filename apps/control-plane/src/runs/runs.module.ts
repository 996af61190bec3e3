import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { ReadRuns } from './read-runs.use-cases';
import { RecordRunResults } from './record-results.use-cases';
import { RunsController } from './runs.controller';
import { StartRun } from './start-run.use-case';

@Module({
  imports: [PartnersModule],
  controllers: [RunsController],
  providers: [StartRun, ReadRuns, RecordRunResults],
  exports: [StartRun, RecordRunResults],
})
export class RunsModule {}
