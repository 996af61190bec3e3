import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { DisableIntegration } from './disable-integration.use-case';
import { IntegrationController } from './integration.controller';
import { GetIntegrationStatus } from './integration-status.use-case';

@Module({
  imports: [PartnersModule],
  controllers: [IntegrationController],
  providers: [GetIntegrationStatus, DisableIntegration],
})
export class IntegrationModule {}
