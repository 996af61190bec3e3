import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  INACTIVE_ACCOUNT_POLICIES,
  type InactiveAccountPolicy,
  MISSING_RETAIL_PRICE_POLICIES,
  type MissingRetailPricePolicy,
} from '@cwx/domain';
import { Type } from 'class-transformer';
import { IsVersion, MAX_INT4 } from '../http/validation';
import { IsBoolean, IsDefined, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

export class ExportDataRequestDto {
  @ApiProperty({ description: 'Each resold SKU becomes a ConnectWise catalog item and an agreement addition.' })
  @IsBoolean()
  products!: boolean;
  @ApiProperty() @IsBoolean() quantity!: boolean;
  @ApiProperty({ description: 'What the partner pays the platform, written as the addition unit cost.' }) @IsBoolean() cost!: boolean;
  @ApiProperty({ description: "The partner's retail price, written as the addition unit price." }) @IsBoolean() retailPrice!: boolean;
  @ApiProperty({ description: 'A CSV of users and their services, attached to each agreement.' }) @IsBoolean() usersList!: boolean;
}

export class ConnectWiseDefaultsRequestDto {
  @ApiPropertyOptional({ description: 'Catalog subcategory for new catalog items.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  catalogSubcategoryId?: number;
  @ApiPropertyOptional({ description: 'Product type for new catalog items.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  productTypeId?: number;
  @ApiPropertyOptional({ description: 'Unit of measure for new catalog items.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  unitOfMeasureId?: number;
  @ApiPropertyOptional({ description: 'Agreement type for agreements created from the mapping step.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  agreementTypeId?: number;
  @ApiPropertyOptional({ description: 'Billing cycle for agreements created from the mapping step.' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  billingCycleId?: number;
}

export class SaveSettingsRequestDto {
  @ApiPropertyOptional({ description: 'The version last read; required once settings exist (a stale one gets 409).' })
  @IsOptional() @IsVersion(0)
  version?: number;

  @ApiProperty({ enum: ['manual', 'daily'] })
  @IsIn(['manual', 'daily'])
  exportMode!: 'manual' | 'daily';

  @ApiPropertyOptional({ example: '02:00', description: 'Local time of the daily export, required when exportMode is daily.' })
  @IsOptional() @IsString() @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time HH:MM' })
  dailyTime?: string;

  @ApiProperty({ example: 'Europe/Amsterdam', description: 'IANA time zone of the daily time.' })
  @IsString()
  timeZone!: string;

  @ApiProperty({ type: ExportDataRequestDto })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ExportDataRequestDto)
  data!: ExportDataRequestDto;

  @ApiProperty({ enum: ['zero', 'cancel'], description: 'A SKU gone from an account: set its quantity to 0, or cancel it with the run date.' })
  @IsIn(['zero', 'cancel'])
  disappearedSku!: 'zero' | 'cancel';

  @ApiPropertyOptional({
    enum: MISSING_RETAIL_PRICE_POLICIES,
    description:
      'A SKU with no retail price while retail prices are exported: fail-line writes nothing for its line and warns (the default: ' +
      'no line is billed at a price nobody set); skip-price writes the line without a unit price (ConnectWise keeps its own) and warns. ' +
      'Absent: the stored choice is kept.',
  })
  @IsOptional() @IsIn(MISSING_RETAIL_PRICE_POLICIES)
  missingRetailPrice?: MissingRetailPricePolicy;

  @ApiPropertyOptional({
    enum: INACTIVE_ACCOUNT_POLICIES,
    description:
      "A suspended platform account: bill as usual (with a warning), zero our additions' quantity (the default), or cancel them on the " +
      'run date. Nothing is created or deleted; the lines come back when the account is active again. Absent: the stored choice is kept.',
  })
  @IsOptional() @IsIn(INACTIVE_ACCOUNT_POLICIES)
  suspendedAccounts?: InactiveAccountPolicy;

  @ApiPropertyOptional({ enum: INACTIVE_ACCOUNT_POLICIES, description: 'A cancelled platform account: the same choices (default zero).' })
  @IsOptional() @IsIn(INACTIVE_ACCOUNT_POLICIES)
  cancelledAccounts?: InactiveAccountPolicy;

  @ApiPropertyOptional({
    enum: ['create', 'hold'],
    description:
      'A platform SKU with no product mapping: create its own catalog item (the default, identifier = the SKU) or hold it, not billed, ' +
      'until it is mapped (PUT …/billing/products). Absent: the stored choice is kept.',
  })
  @IsOptional() @IsIn(['create', 'hold'])
  unmappedSkus?: 'create' | 'hold';

  @ApiProperty({ type: ConnectWiseDefaultsRequestDto })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ConnectWiseDefaultsRequestDto)
  connectwiseDefaults!: ConnectWiseDefaultsRequestDto;
}

export class ExportDataResponseDto {
  @ApiProperty() products!: boolean;
  @ApiProperty() quantity!: boolean;
  @ApiProperty() cost!: boolean;
  @ApiProperty() retailPrice!: boolean;
  @ApiProperty() usersList!: boolean;
}

export class ConnectWiseDefaultsResponseDto {
  @ApiPropertyOptional({ nullable: true, type: Number }) catalogSubcategoryId!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) productTypeId!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) unitOfMeasureId!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) agreementTypeId!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) billingCycleId!: number | null;
}

export class SettingsResponseDto {
  @ApiProperty({ description: '0 until settings are first saved.' }) version!: number;
  @ApiProperty({ enum: ['manual', 'daily'] }) exportMode!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) dailyTime!: string | null;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: ExportDataResponseDto }) data!: ExportDataResponseDto;
  @ApiProperty({ enum: ['zero', 'cancel'] }) disappearedSku!: string;
  @ApiProperty({ enum: MISSING_RETAIL_PRICE_POLICIES }) missingRetailPrice!: string;
  @ApiProperty({ enum: INACTIVE_ACCOUNT_POLICIES }) suspendedAccounts!: string;
  @ApiProperty({ enum: INACTIVE_ACCOUNT_POLICIES }) cancelledAccounts!: string;
  @ApiProperty({ enum: ['create', 'hold'] }) unmappedSkus!: string;
  @ApiProperty({ type: ConnectWiseDefaultsResponseDto }) connectwiseDefaults!: ConnectWiseDefaultsResponseDto;
}

export class ConnectWiseOptionResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() parentName?: string;
}

export class ConnectWiseOptionsResponseDto {
  @ApiProperty({ type: [ConnectWiseOptionResponseDto] }) catalogSubcategories!: ConnectWiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectWiseOptionResponseDto] }) productTypes!: ConnectWiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectWiseOptionResponseDto] }) unitsOfMeasure!: ConnectWiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectWiseOptionResponseDto] }) agreementTypes!: ConnectWiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectWiseOptionResponseDto] }) billingCycles!: ConnectWiseOptionResponseDto[];
}
