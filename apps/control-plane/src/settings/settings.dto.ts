import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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

export class ConnectwiseDefaultsRequestDto {
  @ApiPropertyOptional({ description: 'Catalog subcategory for new catalog items.' })
  @IsOptional() @IsInt() @Min(1) @Max(2147483647)
  catalogSubcategoryId?: number;
  @ApiPropertyOptional({ description: 'Product type for new catalog items.' })
  @IsOptional() @IsInt() @Min(1) @Max(2147483647)
  productTypeId?: number;
  @ApiPropertyOptional({ description: 'Unit of measure for new catalog items.' })
  @IsOptional() @IsInt() @Min(1) @Max(2147483647)
  unitOfMeasureId?: number;
  @ApiPropertyOptional({ description: 'Agreement type for agreements created from the mapping step.' })
  @IsOptional() @IsInt() @Min(1) @Max(2147483647)
  agreementTypeId?: number;
  @ApiPropertyOptional({ description: 'Billing cycle for agreements created from the mapping step.' })
  @IsOptional() @IsInt() @Min(1) @Max(2147483647)
  billingCycleId?: number;
}

export class SaveSettingsRequestDto {
  @ApiPropertyOptional({ description: 'The version last read; required once settings exist (a stale one gets 409).' })
  @IsOptional() @IsInt() @Min(0)
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

  @ApiProperty({ type: ConnectwiseDefaultsRequestDto })
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ConnectwiseDefaultsRequestDto)
  connectwiseDefaults!: ConnectwiseDefaultsRequestDto;
}

export class ExportDataResponseDto {
  @ApiProperty() products!: boolean;
  @ApiProperty() quantity!: boolean;
  @ApiProperty() cost!: boolean;
  @ApiProperty() retailPrice!: boolean;
  @ApiProperty() usersList!: boolean;
}

export class ConnectwiseDefaultsResponseDto {
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
  @ApiProperty({ type: ConnectwiseDefaultsResponseDto }) connectwiseDefaults!: ConnectwiseDefaultsResponseDto;
}

export class ConnectwiseOptionResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() parentName?: string;
}

export class ConnectwiseOptionsResponseDto {
  @ApiProperty({ type: [ConnectwiseOptionResponseDto] }) catalogSubcategories!: ConnectwiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectwiseOptionResponseDto] }) productTypes!: ConnectwiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectwiseOptionResponseDto] }) unitsOfMeasure!: ConnectwiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectwiseOptionResponseDto] }) agreementTypes!: ConnectwiseOptionResponseDto[];
  @ApiProperty({ type: [ConnectwiseOptionResponseDto] }) billingCycles!: ConnectwiseOptionResponseDto[];
}
