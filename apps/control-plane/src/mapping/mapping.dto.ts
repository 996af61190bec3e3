import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SUGGESTION_TIERS, type SuggestionTier } from '@cwx/matching';
import { Transform, Type } from 'class-transformer';
import { ID_RULE, IsPlatformId, IsVersion, MAX_INT4 } from '../http/validation';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';


export class ListAccountsQueryDto {
  @ApiPropertyOptional({ enum: ['mapped', 'unmapped', 'suggested'] })
  @IsOptional() @IsIn(['mapped', 'unmapped', 'suggested'])
  state?: 'mapped' | 'unmapped' | 'suggested';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Filter by the Export flag.' })
  @IsOptional() @IsIn(['true', 'false'])
  export?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Case-insensitive search in the account name.' })
  @IsOptional() @IsString() @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt() @Min(1) @Max(100000)
  page?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt() @Min(1) @Max(500)
  pageSize?: number;
}

export class CompanyRefResponseDto {
  @ApiProperty() id!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) name!: string | null;
}

export class SuggestionResponseDto {
  @ApiProperty() companyId!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) companyName!: string | null;
  @ApiProperty({ description: 'Calibrated confidence, 0..1: the share of suggestions at this confidence that are right.' }) score!: number;
  @ApiProperty({
    enum: SUGGESTION_TIERS,
    description:
      '`exact`: the same name once case, punctuation, legal form and generic abbreviations are normalized (or the ConnectWise ' +
      'identifier); `strong`: confidence ≥ 0.9; `possible`: confidence 0.7–0.9, check before accepting.',
  })
  tier!: SuggestionTier;
  @ApiProperty({ example: "same name after removing 'Inc.'", description: 'Why, in words the partner can check; names what was learned when it was used.' })
  reason!: string;
  @ApiProperty({
    type: [String],
    example: ["account names add 'csp' (3 accepted pairs)"],
    description: "What was learned from the partner's earlier decisions and used for this suggestion (empty when nothing).",
  })
  learned!: string[];
}

export class CandidateResponseDto {
  @ApiProperty() companyId!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) companyName!: string | null;
  @ApiProperty({ description: 'Calibrated confidence, 0..1.' }) score!: number;
  @ApiProperty({ example: "another site ('Uptown' vs 'Lakeside')" }) reason!: string;
}

export class AmbiguityResponseDto {
  @ApiProperty({ example: "3 companies share the name 'Hope Center' and the account's name does not say which" }) reason!: string;
  @ApiProperty({ type: [CandidateResponseDto], description: 'Best first, at most 5: map to one of them by hand (PUT …/mapping).' })
  candidates!: CandidateResponseDto[];
}

export class AccountMappingResponseDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() accountName!: string;
  @ApiProperty({ enum: ['mapped', 'unmapped', 'suggested'] }) state!: string;
  @ApiPropertyOptional({ type: CompanyRefResponseDto, nullable: true }) company!: CompanyRefResponseDto | null;
  @ApiPropertyOptional({ type: CompanyRefResponseDto, nullable: true }) agreement!: CompanyRefResponseDto | null;
  @ApiProperty() exportEnabled!: boolean;
  @ApiPropertyOptional({ type: SuggestionResponseDto, nullable: true, description: 'Set when `state` is `suggested`.' })
  suggestion!: SuggestionResponseDto | null;
  @ApiPropertyOptional({
    type: AmbiguityResponseDto,
    nullable: true,
    description: 'Set on an `unmapped` account when several companies share its name and nothing decides (no suggestion is made).',
  })
  ambiguity!: AmbiguityResponseDto | null;
  @ApiProperty({ description: 'Send it back with a change (optimistic concurrency).' }) version!: number;
}

export class AccountPageResponseDto {
  @ApiProperty({ type: [AccountMappingResponseDto] }) items!: AccountMappingResponseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class NewCompanyRequestDto {
  @ApiProperty({ maxLength: 50 }) @IsString() @Length(1, 50) name!: string;
  @ApiPropertyOptional({ description: 'ConnectWise identifier (letters and digits, ≤ 25); made from the name when absent.' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9]{1,25}$/, { message: 'must be 1 to 25 letters or digits' })
  identifier?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) addressLine1?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 50) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 12) zip?: string;
}

export class NewAgreementRequestDto {
  @ApiPropertyOptional({ maxLength: 100, description: 'Default: "<account name> - Cloud services".' })
  @IsOptional() @IsString() @Length(1, 100)
  name?: string;
}

export class MapAccountRequestDto {
  @ApiProperty({ description: 'The version last read.' }) @IsVersion() version!: number;

  @ApiPropertyOptional({ description: 'An existing ConnectWise company.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  companyId?: number;

  @ApiPropertyOptional({ type: NewCompanyRequestDto, description: 'Create this company in ConnectWise instead.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NewCompanyRequestDto)
  createCompany?: NewCompanyRequestDto;

  @ApiPropertyOptional({ description: 'An existing agreement of that company.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  agreementId?: number;

  @ApiPropertyOptional({ type: NewAgreementRequestDto, description: 'Create an agreement (type and billing cycle from the settings).' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NewAgreementRequestDto)
  createAgreement?: NewAgreementRequestDto;

  @ApiPropertyOptional({ description: 'Default true.' }) @IsOptional() @IsBoolean() exportEnabled?: boolean;
}

export class AcceptSuggestionRequestDto {
  @ApiProperty() @IsVersion() version!: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4) agreementId?: number;
  @ApiPropertyOptional({ type: NewAgreementRequestDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NewAgreementRequestDto)
  createAgreement?: NewAgreementRequestDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() exportEnabled?: boolean;
}

export class VersionRequestDto {
  @ApiProperty() @IsVersion() version!: number;
}

export class SetExportRequestDto {
  @ApiProperty() @IsVersion() version!: number;
  @ApiProperty() @IsBoolean() exportEnabled!: boolean;
}

export class BulkExportItemRequestDto {
  @ApiProperty({ description: `The account id: ${ID_RULE}.` }) @IsString() @IsPlatformId() accountId!: string;
  @ApiProperty() @IsVersion() version!: number;
  @ApiProperty() @IsBoolean() exportEnabled!: boolean;
}

export class BulkExportRequestDto {
  @ApiProperty({ type: [BulkExportItemRequestDto], maxItems: 1000 })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => BulkExportItemRequestDto)
  items!: BulkExportItemRequestDto[];
}

export class BulkItemResultResponseDto {
  @ApiProperty() accountId!: string;
  @ApiProperty({ enum: ['updated', 'version_mismatch', 'not_found', 'not_mapped'] }) outcome!: string;
  @ApiPropertyOptional() version?: number;
}

export class BulkExportResponseDto {
  @ApiProperty({ type: [BulkItemResultResponseDto] }) results!: BulkItemResultResponseDto[];
}

export class MappingChangeResponseDto {
  @ApiProperty({ type: AccountMappingResponseDto }) account!: AccountMappingResponseDto;
  @ApiPropertyOptional({ description: 'Present when an earlier mapping was replaced or removed.' }) warning?: string;
  @ApiPropertyOptional({ type: CompanyRefResponseDto, nullable: true, description: 'Set when a company was created in ConnectWise.' })
  createdCompany?: CompanyRefResponseDto | null;
  @ApiPropertyOptional({ type: CompanyRefResponseDto, nullable: true, description: 'Set when an agreement was created in ConnectWise.' })
  createdAgreement?: CompanyRefResponseDto | null;
}

export class RejectedAccountResponseDto {
  @ApiProperty({ description: "Position in the platform's list." }) index!: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The account id, when it follows the id rule.' }) accountId!: string | null;
  @ApiProperty({ type: [String], example: ['name: must not be empty'] }) problems!: string[];
}

export class SyncSuggestionsResponseDto {
  @ApiProperty() examined!: number;
  @ApiProperty() suggested!: number;
  @ApiProperty() ambiguous!: number;
  @ApiProperty() companies!: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why no suggestions were made (no credentials yet, ConnectWise failed).' })
  skipped!: string | null;
}

export class SyncAccountsResponseDto {
  @ApiProperty({ description: 'Accounts read (rejected ones not included).' }) total!: number;
  @ApiProperty() added!: number;
  @ApiProperty() renamed!: number;
  @ApiPropertyOptional({
    type: SyncSuggestionsResponseDto,
    nullable: true,
    description: 'When new accounts arrived: the suggestions filled right after the sync (null when none arrived).',
  })
  suggestions!: SyncSuggestionsResponseDto | null;
  @ApiProperty({ description: 'Accounts the platform listed in a form the contract refuses (an id off the id rule, a repeated id, no name); left out, the others synced.' })
  rejected!: number;
  @ApiProperty({ type: [RejectedAccountResponseDto], description: 'The first 100 of them with their problems (no values).' })
  rejectedAccounts!: RejectedAccountResponseDto[];
}

export class FillSuggestionsResponseDto {
  @ApiProperty({ description: 'Unmapped accounts examined (manual choices and mapped accounts are left alone).' }) examined!: number;
  @ApiProperty() suggested!: number;
  @ApiProperty({ description: 'Accounts left unmapped because several companies share their name (candidates shown on each).' }) ambiguous!: number;
  @ApiProperty({ description: 'ConnectWise companies compared against.' }) companies!: number;
}

export class CatalogItemRefResponseDto {
  @ApiProperty() catalogItemId!: number;
  @ApiProperty({ example: 'M365-BP' }) identifier!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
}

export class CatalogCandidateResponseDto extends CatalogItemRefResponseDto {
  @ApiProperty({ description: 'Calibrated confidence, 0..1 (1 for a code match).' }) score!: number;
  @ApiProperty({ example: "vendor SKU 'MTR-PRO' is the SKU" }) reason!: string;
}

export class CatalogSuggestionResponseDto extends CatalogCandidateResponseDto {
  @ApiProperty({ enum: SUGGESTION_TIERS, description: '`exact` for a code match or the same description once normalized.' }) tier!: SuggestionTier;
}

export class CatalogAmbiguityResponseDto {
  @ApiProperty({ example: "2 catalog items carry the code 'MTR-PRO'" }) reason!: string;
  @ApiProperty({ type: [CatalogCandidateResponseDto] }) candidates!: CatalogCandidateResponseDto[];
}

export class CurrentCatalogItemResponseDto {
  @ApiProperty() catalogItemId!: number;
  @ApiProperty() identifier!: string;
}

export class SkuCatalogSuggestionResponseDto {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: CurrentCatalogItemResponseDto, nullable: true, description: 'The catalog item the exports use for this SKU today.' })
  current!: CurrentCatalogItemResponseDto | null;
  @ApiPropertyOptional({ type: CatalogSuggestionResponseDto, nullable: true }) suggestion!: CatalogSuggestionResponseDto | null;
  @ApiPropertyOptional({ type: CatalogAmbiguityResponseDto, nullable: true }) ambiguity!: CatalogAmbiguityResponseDto | null;
}

export class CatalogSuggestionsResponseDto {
  @ApiProperty({ type: [SkuCatalogSuggestionResponseDto] }) items!: SkuCatalogSuggestionResponseDto[];
  @ApiProperty({ description: 'Active ConnectWise catalog items compared against.' }) catalogItems!: number;
}
