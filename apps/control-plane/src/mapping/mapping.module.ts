import { Module } from '@nestjs/common';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { PartnersModule } from '../partners/partners.module';
import { SettingsModule } from '../settings/settings.module';
import { SetAccountExport, UnmapAccount } from './account-edits.use-cases';
import { AccountsRepository } from './accounts.repository';
import { CatalogItemsRepository } from './catalog-items.repository';
import { ListAccounts, SyncAccounts } from './accounts.use-cases';
import { CatalogSuggestions } from './catalog-suggestions.use-case';
import { ConnectWiseLookup, ConnectWiseLookupController } from './connectwise-lookup';
import { MapAccount } from './map-account.use-case';
import { MappingController } from './mapping.controller';
import { AcceptSuggestion, FillSuggestions, RejectSuggestion } from './suggestions.use-cases';

@Module({
  imports: [PartnersModule, ConnectWiseModule, SettingsModule],
  controllers: [MappingController, ConnectWiseLookupController],
  providers: [
    CatalogSuggestions,
    CatalogItemsRepository,
    ConnectWiseLookup,
    AccountsRepository,
    ListAccounts,
    SyncAccounts,
    MapAccount,
    UnmapAccount,
    SetAccountExport,
    FillSuggestions,
    AcceptSuggestion,
    RejectSuggestion,
  ],
  exports: [AccountsRepository, SyncAccounts],
})
export class MappingModule {}
