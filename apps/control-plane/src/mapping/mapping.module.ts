import { Module } from '@nestjs/common';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { PartnersModule } from '../partners/partners.module';
import { SettingsModule } from '../settings/settings.module';
import { SetAccountExport, UnmapAccount } from './account-edits.use-cases';
import { AccountsRepository } from './accounts.repository';
import { ListAccounts, SyncAccounts } from './accounts.use-cases';
import { MapAccount } from './map-account.use-case';
import { MappingController } from './mapping.controller';
import { AcceptSuggestion, FillSuggestions, RejectSuggestion } from './suggestions.use-cases';

@Module({
  imports: [PartnersModule, ConnectWiseModule, SettingsModule],
  controllers: [MappingController],
  providers: [AccountsRepository, ListAccounts, SyncAccounts, MapAccount, UnmapAccount, SetAccountExport, FillSuggestions, AcceptSuggestion, RejectSuggestion],
  exports: [AccountsRepository, SyncAccounts],
})
export class MappingModule {}
