import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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

const MAX_ID = 2147483647;

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
  @ApiProperty({ description: 'Calibrated confidence, 0..1.' }) score!: number;
  @ApiProperty({ example: "same name after removing 'Inc.'" }) reason!: string;
}

export class AccountMappingResponseDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() accountName!: string;
  @ApiProperty({ enum: ['mapped', 'unmapped', 'suggested'] }) state!: string;
  @ApiPropertyOptional({ type: CompanyRefResponseDto, nullable: true }) company!: CompanyRefResponseDto | null;
  @ApiPropertyOptional({ type: CompanyRefResponseDto, nullable: true }) agreement!: CompanyRefResponseDto | null;
  @ApiProperty() exportEnabled!: boolean;
  @ApiPropertyOptional({ type: SuggestionResponseDto, nullable: true }) suggestion!: SuggestionResponseDto | null;
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
  @ApiProperty({ description: 'The version last read.' }) @IsInt() @Min(1) version!: number;

  @ApiPropertyOptional({ description: 'An existing ConnectWise company.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_ID)
  companyId?: number;

  @ApiPropertyOptional({ type: NewCompanyRequestDto, description: 'Create this company in ConnectWise instead.' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NewCompanyRequestDto)
  createCompany?: NewCompanyRequestDto;

  @ApiPropertyOptional({ description: 'An existing agreement of that company.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_ID)
  agreementId?: number;

  @ApiPropertyOptional({ type: NewAgreementRequestDto, description: 'Create an agreement (type and billing cycle from the settings).' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NewAgreementRequestDto)
  createAgreement?: NewAgreementRequestDto;

  @ApiPropertyOptional({ description: 'Default true.' }) @IsOptional() @IsBoolean() exportEnabled?: boolean;
}

export class AcceptSuggestionRequestDto {
  @ApiProperty() @IsInt() @Min(1) version!: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(MAX_ID) agreementId?: number;
  @ApiPropertyOptional({ type: NewAgreementRequestDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => NewAgreementRequestDto)
  createAgreement?: NewAgreementRequestDto;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() exportEnabled?: boolean;
}

export class VersionRequestDto {
  @ApiProperty() @IsInt() @Min(1) version!: number;
}

export class SetExportRequestDto {
  @ApiProperty() @IsInt() @Min(1) version!: number;
  @ApiProperty() @IsBoolean() exportEnabled!: boolean;
}

export class BulkExportItemRequestDto {
  @ApiProperty() @IsString() @Length(1, 128) accountId!: string;
  @ApiProperty() @IsInt() @Min(1) version!: number;
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

export class SyncAccountsResponseDto {
  @ApiProperty() total!: number;
  @ApiProperty() added!: number;
  @ApiProperty() renamed!: number;
}

export class FillSuggestionsResponseDto {
  @ApiProperty({ description: 'Unmapped accounts examined (manual choices and mapped accounts are left alone).' }) examined!: number;
  @ApiProperty() suggested!: number;
  @ApiProperty({ description: 'ConnectWise companies compared against.' }) companies!: number;
}
