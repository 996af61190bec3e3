import { Module } from '@nestjs/common';
import { PartnersModule } from '../partners/partners.module';
import { SettingsModule } from '../settings/settings.module';
import { BillingController } from './billing.controller';
import { BillingRepository } from './billing.repository';
import { AccountBillingUseCases, ProductMappingsUseCases } from './billing.use-cases';

/** Billing control (issue 18): product mapping, bundles, price rules, exclusions, included quantities. */
@Module({
  imports: [PartnersModule, SettingsModule],
  controllers: [BillingController],
  providers: [BillingRepository, ProductMappingsUseCases, AccountBillingUseCases],
})
export class BillingModule {}
