import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { RunsModule } from '../runs/runs.module';
import { SchedulesModule } from '../scheduler/schedules.module';
import { DisableIntegration } from './disable-integration.use-case';
import { IntegrationController } from './integration.controller';
import { GetIntegrationStatus } from './integration-status.use-case';

@Module({
  imports: [PartnersModule, RunsModule, SchedulesModule],
  controllers: [IntegrationController],
  providers: [GetIntegrationStatus, DisableIntegration],
})
export class IntegrationModule {}
