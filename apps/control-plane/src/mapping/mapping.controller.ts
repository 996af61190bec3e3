import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PartnerProvisioningInterceptor } from '../partners/partner-provisioning.interceptor';
import { SetAccountExport, UnmapAccount } from './account-edits.use-cases';
import { ListAccounts, SyncAccounts } from './accounts.use-cases';
import { CatalogSuggestions } from './catalog-suggestions.use-case';
import { MapAccount } from './map-account.use-case';
import {
  AcceptSuggestionRequestDto,
  AccountMappingResponseDto,
  AccountPageResponseDto,
  CatalogSuggestionsResponseDto,
  BulkExportRequestDto,
  BulkExportResponseDto,
  FillSuggestionsResponseDto,
  ListAccountsQueryDto,
  MapAccountRequestDto,
  MappingChangeResponseDto,
  SetExportRequestDto,
  SyncAccountsResponseDto,
  VersionRequestDto,
} from './mapping.dto';
import { AcceptSuggestion, FillSuggestions, RejectSuggestion } from './suggestions.use-cases';

@ApiTags('mapping')
@ApiBearerAuth()
@UseInterceptors(PartnerProvisioningInterceptor)
@Controller('partners/:partnerId')
export class MappingController {
  constructor(
    private readonly list: ListAccounts,
    private readonly sync: SyncAccounts,
    private readonly map: MapAccount,
    private readonly unmap: UnmapAccount,
    private readonly setExport: SetAccountExport,
    private readonly fill: FillSuggestions,
    private readonly accept: AcceptSuggestion,
    private readonly reject: RejectSuggestion,
    private readonly catalog: CatalogSuggestions,
  ) {}

  @Get('accounts')
  @ApiOperation({ summary: "Step 3: the partner's accounts with their mapping state (paged, filtered, searchable)." })
  @ApiOkResponse({ type: AccountPageResponseDto })
  listAccounts(@Param('partnerId') partnerId: string, @Query() query: ListAccountsQueryDto): Promise<AccountPageResponseDto> {
    return this.list.execute({ partnerId, query });
  }

  @Post('accounts/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read the accounts from the platform again: new ones are added unmapped, renames followed.' })
  @ApiOkResponse({ type: SyncAccountsResponseDto })
  syncAccounts(@Param('partnerId') partnerId: string): Promise<SyncAccountsResponseDto> {
    return this.sync.execute({ partnerId });
  }

  @Put('accounts/:accountId/mapping')
  @ApiOperation({
    summary: 'Map an account to an existing or new ConnectWise company and agreement.',
    description:
      'Existing company and agreement are checked to exist and to belong together. Remapping answers with a warning: ' +
      'nothing already exported is removed from ConnectWise. A stale `version` gets 409 `version_mismatch`.',
  })
  @ApiOkResponse({ type: MappingChangeResponseDto })
  mapAccount(
    @Param('partnerId') partnerId: string,
    @Param('accountId') accountId: string,
    @Body() body: MapAccountRequestDto,
  ): Promise<MappingChangeResponseDto> {
    return this.map.execute({ partnerId, accountId, ...body });
  }

  @Post('accounts/:accountId/unmap')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unmap an account; nothing already exported is removed from ConnectWise.' })
  @ApiOkResponse({ type: MappingChangeResponseDto })
  unmapAccount(
    @Param('partnerId') partnerId: string,
    @Param('accountId') accountId: string,
    @Body() body: VersionRequestDto,
  ): Promise<MappingChangeResponseDto> {
    return this.unmap.execute({ partnerId, accountId, version: body.version });
  }

  @Patch('accounts/:accountId/export')
  @ApiOperation({ summary: 'The Export checkbox of one account (only a mapped account can be exported).' })
  @ApiOkResponse({ type: AccountMappingResponseDto })
  setAccountExport(
    @Param('partnerId') partnerId: string,
    @Param('accountId') accountId: string,
    @Body() body: SetExportRequestDto,
  ): Promise<AccountMappingResponseDto> {
    return this.setExport.execute({ partnerId, accountId, ...body });
  }

  @Post('accounts/export')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bulk Export flags; each item reports its own outcome.' })
  @ApiOkResponse({ type: BulkExportResponseDto })
  async bulkExport(@Param('partnerId') partnerId: string, @Body() body: BulkExportRequestDto): Promise<BulkExportResponseDto> {
    return { results: await this.setExport.bulk(partnerId, body.items) };
  }

  @Post('suggestions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suggest a ConnectWise company for each unmapped account (mapped and hand-decided accounts untouched).' })
  @ApiOkResponse({ type: FillSuggestionsResponseDto })
  fillSuggestions(@Param('partnerId') partnerId: string): Promise<FillSuggestionsResponseDto> {
    return this.fill.execute({ partnerId });
  }

  @Get('catalog/suggestions')
  @ApiOperation({
    summary: 'For each platform SKU, the existing ConnectWise catalog item that most likely sells it (read-only).',
    description: 'By identifier, vendor SKU or manufacturer part number, then by description; ambiguous when several items fit. Nothing is written.',
  })
  @ApiOkResponse({ type: CatalogSuggestionsResponseDto })
  catalogSuggestions(@Param('partnerId') partnerId: string): Promise<CatalogSuggestionsResponseDto> {
    return this.catalog.execute({ partnerId });
  }

  @Post('accounts/:accountId/suggestion/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept the suggestion: maps the account to the suggested company (agreement existing or new).' })
  @ApiOkResponse({ type: MappingChangeResponseDto })
  acceptSuggestion(
    @Param('partnerId') partnerId: string,
    @Param('accountId') accountId: string,
    @Body() body: AcceptSuggestionRequestDto,
  ): Promise<MappingChangeResponseDto> {
    return this.accept.execute({ partnerId, accountId, ...body });
  }

  @Post('accounts/:accountId/suggestion/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject the suggestion; later suggestion runs leave this account alone.' })
  @ApiOkResponse({ type: MappingChangeResponseDto })
  rejectSuggestion(
    @Param('partnerId') partnerId: string,
    @Param('accountId') accountId: string,
    @Body() body: VersionRequestDto,
  ): Promise<MappingChangeResponseDto> {
    return this.reject.execute({ partnerId, accountId, version: body.version });
  }
}
