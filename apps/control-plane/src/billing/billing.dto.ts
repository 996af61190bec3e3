import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsVersion, MAX_INT4 } from '../http/validation';

const TERMS = ['monthly', 'annual'] as const;
const ACTIONS = ['create', 'item', 'hold', 'do-not-bill'] as const;
const PRICE_KINDS = ['platform-retail', 'catalog', 'markup', 'fixed'] as const;

export class PriceRuleDto {
  @ApiProperty({
    enum: PRICE_KINDS,
    description:
      "platform-retail: the platform's retail price (an explicit rule writes it even with retail price export off); catalog: the catalog " +
      "item's own price in ConnectWise, no price is written; markup: unit cost + percent, rounded half away from zero to `decimals` (default 2); " +
      'fixed: `amount`.',
  })
  @IsIn(PRICE_KINDS)
  kind!: (typeof PRICE_KINDS)[number];

  @ApiPropertyOptional({ minimum: -100, maximum: 10000, description: 'markup only: the percentage added to the unit cost.' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-100) @Max(10000)
  percent?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 4, description: 'markup only: decimals the price is rounded to (half away from zero); default 2.' })
  @IsOptional() @IsInt() @Min(0) @Max(4)
  decimals?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'fixed only: the unit price.' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9)
  amount?: number;
}

export class ProductMappingDto {
  @ApiProperty({ description: 'The platform SKU.' })
  @IsString() @MinLength(1) @MaxLength(64)
  sku!: string;

  @ApiPropertyOptional({ enum: TERMS, description: "One term's own mapping (wins over the SKU's); absent: every term." })
  @IsOptional() @IsIn(TERMS)
  term?: (typeof TERMS)[number];

  @ApiProperty({
    enum: ACTIONS,
    description:
      'create: its own catalog item (identifier = the SKU, created when missing); item: the existing catalog item `catalogItemId` (several SKUs on ' +
      'one item make a bundle); hold: not billed until mapped; do-not-bill: never billed. A change moves the line at the next run.',
  })
  @IsIn(ACTIONS)
  action!: (typeof ACTIONS)[number];

  @ApiPropertyOptional({ description: 'For `item`: the ConnectWise catalog item id (see GET …/catalog/suggestions).' })
  @IsOptional() @IsInt() @Min(1) @Max(MAX_INT4)
  catalogItemId?: number;

  @ApiPropertyOptional({ type: PriceRuleDto, description: "The price rule of the SKU's lines; absent: the default (platform retail when retail price export is on)." })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PriceRuleDto)
  price?: PriceRuleDto;
}

export class BundleRuleDto {
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_INT4) catalogItemId!: number;

  @ApiProperty({ enum: ['sum', 'distinct-users'], description: 'The line quantity: the sum of its SKUs, or the distinct users holding any of them.' })
  @IsIn(['sum', 'distinct-users'])
  quantity!: 'sum' | 'distinct-users';
}

export class SaveProductMappingsRequestDto {
  @ApiProperty({ type: [ProductMappingDto], description: 'Every mapping of the partner (replaces the stored ones); up to 5,000.' })
  @IsArray() @ArrayMaxSize(5000) @ValidateNested({ each: true }) @Type(() => ProductMappingDto)
  products!: ProductMappingDto[];

  @ApiProperty({ type: [BundleRuleDto], description: 'How catalog items holding several SKUs count (`sum` when absent).' })
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => BundleRuleDto)
  bundles!: BundleRuleDto[];
}

export class ProductMappingsResponseDto {
  @ApiProperty({ enum: ['create', 'hold'], description: 'What an unmapped SKU does (settings `unmappedSkus`).' }) unmappedSkus!: string;
  @ApiProperty({ type: [ProductMappingDto] }) products!: ProductMappingDto[];
  @ApiProperty({ type: [BundleRuleDto] }) bundles!: BundleRuleDto[];
}

export class AccountPriceDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) sku!: string;
  @ApiPropertyOptional({ enum: TERMS }) @IsOptional() @IsIn(TERMS) term?: (typeof TERMS)[number];
  @ApiProperty({ type: PriceRuleDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => PriceRuleDto) price!: PriceRuleDto;
}

export class ExclusionDto {
  @ApiPropertyOptional({ description: 'Exclude this SKU for the account (give `sku` or `userId`).' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(64)
  sku?: string;

  @ApiPropertyOptional({ description: "Exclude this platform user's units (their services are paid elsewhere)." })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(128)
  userId?: string;

  @ApiProperty({ description: 'Why: shown in the export log.' })
  @IsString() @MinLength(1) @MaxLength(500)
  reason!: string;
}

export class IncludedQuantityDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) sku!: string;
  @ApiPropertyOptional({ enum: TERMS }) @IsOptional() @IsIn(TERMS) term?: (typeof TERMS)[number];
  @ApiProperty({ description: "Units the customer's package includes: written as the addition's lessIncluded." })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9)
  quantity!: number;
}

export class SaveAccountBillingRequestDto {
  @ApiPropertyOptional({ description: 'The version last read; required once overrides exist (a stale one gets 409).' })
  @IsOptional() @IsVersion(0)
  version?: number;

  @ApiProperty({ type: [AccountPriceDto], description: 'Price rules for this account, per SKU (and term): win over the mapping\'s.' })
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => AccountPriceDto)
  prices!: AccountPriceDto[];

  @ApiProperty({ type: [ExclusionDto] })
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ExclusionDto)
  exclusions!: ExclusionDto[];

  @ApiProperty({ type: [IncludedQuantityDto] })
  @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => IncludedQuantityDto)
  included!: IncludedQuantityDto[];
}

export class AccountBillingResponseDto {
  @ApiProperty({ description: '0 until first saved.' }) version!: number;
  @ApiProperty({ type: [AccountPriceDto] }) prices!: AccountPriceDto[];
  @ApiProperty({ type: [ExclusionDto] }) exclusions!: ExclusionDto[];
  @ApiProperty({ type: [IncludedQuantityDto] }) included!: IncludedQuantityDto[];
}
