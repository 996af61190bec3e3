import { Module } from '@nestjs/common';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { PartnersModule } from '../partners/partners.module';
import { GetConnectWiseOptions } from './connectwise-options.use-case';
import { SettingsController } from './settings.controller';
import { SettingsRepository } from './settings.repository';
import { GetSettings, SaveSettings } from './settings.use-cases';

@Module({
  imports: [PartnersModule, ConnectWiseModule],
  controllers: [SettingsController],
  providers: [SettingsRepository, GetSettings, SaveSettings, GetConnectWiseOptions],
  exports: [SettingsRepository],
})
export class SettingsModule {}
