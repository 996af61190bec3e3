import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANGE_CLASSES, type ChangeClass, type ClassRule, type EditedLinePolicy, type NewLineStart, type QuantityChangeMode, REVIEW_PRESETS, type ReviewPreset } from '@cwx/domain';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsVersion, MAX_INT4 } from '../http/validation';

const RULES = ['apply', 'review'];

export class ReviewRulesDto implements Record<ChangeClass, ClassRule> {
  @ApiProperty({ enum: RULES, description: 'A new line on the agreement.' }) @IsIn(RULES) 'new-line'!: ClassRule;
  @ApiProperty({ enum: RULES, description: 'A higher quantity, or a retired line coming back.' }) @IsIn(RULES) increase!: ClassRule;
  @ApiProperty({ enum: RULES, description: 'A lower quantity (above 0).' }) @IsIn(RULES) decrease!: ClassRule;
  @ApiProperty({ enum: RULES, description: 'A line cancelled or taken to 0.' }) @IsIn(RULES) cancellation!: ClassRule;
  @ApiProperty({ enum: RULES, description: 'A unit price change larger than priceThresholdPercent.' }) @IsIn(RULES) 'price-change'!: ClassRule;
}

export class ReviewPolicyDto {
  @ApiProperty({ type: ReviewRulesDto })
  @IsObject() @ValidateNested() @Type(() => ReviewRulesDto)
  rules!: ReviewRulesDto;
  @ApiProperty({ minimum: 0, maximum: 1000, description: 'Price changes of at most this many percent apply even when price changes wait.' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000)
  priceThresholdPercent!: number;
  @ApiProperty({ enum: ['overwrite', 'keep'], description: 'A line edited in ConnectWise: write over the edit, or keep it and queue our change.' })
  @IsIn(['overwrite', 'keep'])
  editedLines!: EditedLinePolicy;
  @ApiProperty({ enum: ['in-place', 'end-and-start'], description: 'A quantity change on an agreement that prorates: patch the line, or end it on the change date and start a new one.' })
  @IsIn(['in-place', 'end-and-start'])
  quantityChange!: QuantityChangeMode;
  @ApiProperty({ enum: ['subscription-start', 'day-seen'], description: "A new line's effective date: the platform subscription's start (when the platform gives one), or the day the change was seen." })
  @IsIn(['subscription-start', 'day-seen'])
  newLineStart!: NewLineStart;
}

export class SaveReviewPolicyRequestDto {
  @ApiPropertyOptional({ description: 'The version last read; required once a policy is stored (a stale one gets 409).' })
  @IsOptional() @IsVersion(0)
  version?: number;
  @ApiPropertyOptional({ enum: Object.keys(REVIEW_PRESETS), description: 'Start from a preset; `policy` fields, when given, win.' })
  @IsOptional() @IsIn(Object.keys(REVIEW_PRESETS))
  preset?: ReviewPreset;
  @ApiPropertyOptional({ type: ReviewPolicyDto })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ReviewPolicyDto)
  policy?: ReviewPolicyDto;
}

export class ReviewPolicyResponseDto {
  @ApiProperty({ type: ReviewPolicyDto }) policy!: ReviewPolicyDto;
  @ApiProperty({ description: 'False until a policy is saved: nothing waits (every change is written, as before review existed).' }) configured!: boolean;
  @ApiProperty({ description: '0 until first saved.' }) version!: number;
  @ApiProperty({ type: ReviewPolicyDto, description: 'The recommended policy.' }) recommended!: ReviewPolicyDto;
}

export class LineValuesDto {
  @ApiProperty({ type: Number, nullable: true }) quantity!: number | null;
  @ApiProperty({ type: Number, nullable: true }) unitPrice!: number | null;
  @ApiProperty({ type: Number, nullable: true }) unitCost!: number | null;
  @ApiProperty() cancelled!: boolean;
}

export const CHANGE_STATUSES = ['pending', 'approved', 'dismissed', 'applied', 'superseded'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export class ReviewChangeDto {
  @ApiProperty() id!: number;
  @ApiProperty() accountId!: string;
  @ApiProperty() accountName!: string;
  @ApiProperty() agreementId!: number;
  @ApiProperty() sku!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The addition it changes; null for a new line.' }) additionId!: number | null;
  @ApiProperty({ enum: CHANGE_CLASSES, isArray: true }) classes!: string[];
  @ApiProperty({ enum: ['policy', 'edited-in-connectwise'] }) reason!: string;
  @ApiProperty({ type: LineValuesDto, nullable: true }) before!: LineValuesDto | null;
  @ApiProperty({ type: LineValuesDto }) after!: LineValuesDto;
  @ApiProperty({ type: Number, nullable: true, description: 'What it adds to (positive) or removes from (negative) the monthly bill; null when a price is unknown.' })
  monthlyAmount!: number | null;
  @ApiProperty({ enum: CHANGE_STATUSES }) status!: string;
  @ApiProperty({ type: Number, nullable: true }) adjustedQuantity!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'YYYY-MM-DD' }) adjustedEffectiveDate!: string | null;
  @ApiProperty({ description: 'The run date it was first seen on (YYYY-MM-DD).' }) firstSeenOn!: string;
  @ApiProperty() waitingSince!: string;
  @ApiProperty({ type: String, nullable: true }) decidedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) appliedAt!: string | null;
}

export class ReviewTotalsDto {
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Sum of the positive monthly amounts.' }) monthlyAdded!: number;
  @ApiProperty({ description: 'Sum of the negative monthly amounts (as a negative number).' }) monthlyRemoved!: number;
  @ApiProperty({ description: 'Changes whose amount is unknown (no price).' }) unpriced!: number;
}

export class ReviewChangesPageDto {
  @ApiProperty({ type: [ReviewChangeDto] }) items!: ReviewChangeDto[];
  @ApiProperty({ type: ReviewTotalsDto, description: 'Over every change matching the filters, not only this page.' }) totals!: ReviewTotalsDto;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

const csvList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value);

export class ReviewChangesQueryDto {
  @ApiPropertyOptional({ enum: CHANGE_STATUSES, description: 'Default pending.' }) @IsOptional() @IsIn(CHANGE_STATUSES) status?: ChangeStatus;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Za-z0-9._:-]{1,128}$/) accountId?: string;
  @ApiPropertyOptional({ description: 'Comma-separated classes; a change matches when it has one of them.', example: 'decrease,cancellation' })
  @IsOptional() @Transform(csvList) @IsArray() @IsIn(CHANGE_CLASSES, { each: true })
  class?: ChangeClass[];
  @ApiPropertyOptional() @IsOptional() @Matches(/^.{1,200}$/) sku?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_INT4) offset?: number;
}

export class DecideRequestDto {
  @ApiProperty({ enum: ['approve', 'adjust', 'dismiss'] }) @IsIn(['approve', 'adjust', 'dismiss']) action!: 'approve' | 'adjust' | 'dismiss';
  @ApiProperty({ type: [Number], description: 'The pending changes decided (one, or up to 1,000 at once).' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsInt({ each: true }) @Min(1, { each: true })
  ids!: number[];
  @ApiPropertyOptional({ description: 'adjust: the quantity to write instead of the platform’s.' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1_000_000_000)
  quantity?: number;
  @ApiPropertyOptional({ description: 'adjust: the effective date (YYYY-MM-DD) of the new line, or of the change.' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  effectiveDate?: string;
}

export class DecideResponseDto {
  @ApiProperty({ description: 'Changes decided now.' }) decided!: number;
  @ApiProperty({ type: [Number], description: 'Ids that were not pending (already decided, superseded, or not this partner’s).' }) skipped!: number[];
}

export class ReconciliationQueryDto {
  @ApiPropertyOptional({ description: 'One account only.' }) @IsOptional() @Matches(/^[A-Za-z0-9._:-]{1,128}$/) accountId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Accounts read per request (by name); each costs one ConnectWise call.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_INT4) offset?: number;
}

export class SideDto {
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: Number, nullable: true }) price!: number | null;
}

export class ReconciledLineDto {
  @ApiProperty() sku!: string;
  @ApiProperty({ type: Number, nullable: true }) additionId!: number | null;
  @ApiProperty({ type: SideDto, nullable: true, description: 'Null when the platform does not bill this SKU on the account.' }) platform!: SideDto | null;
  @ApiProperty({ type: SideDto, nullable: true, description: 'Null when ConnectWise has no live line for it.' }) connectwise!: SideDto | null;
  @ApiProperty({ description: 'ConnectWise minus platform.' }) quantityDifference!: number;
  @ApiProperty({ type: Number, nullable: true, description: "ConnectWise's monthly amount minus the platform's; null when a price is unknown." }) monthlyDifference!: number | null;
  @ApiProperty() differs!: boolean;
}

export class ReconciledAccountDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() accountName!: string;
  @ApiProperty() agreementId!: number;
  @ApiProperty({ type: [ReconciledLineDto] }) lines!: ReconciledLineDto[];
  @ApiProperty({ description: 'Lines that differ.' }) differing!: number;
  @ApiProperty() monthlyDifference!: number;
}

export class ReconciliationResponseDto {
  @ApiProperty({ type: [ReconciledAccountDto], description: 'Accounts that differ first (largest monthly difference first), then by name.' }) accounts!: ReconciledAccountDto[];
  @ApiProperty() offset!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ description: 'Accounts mapped for export.' }) total!: number;
  @ApiProperty({ description: 'Accounts in this window that differ.' }) differingAccounts!: number;
}
