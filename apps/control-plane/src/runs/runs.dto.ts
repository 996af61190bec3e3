import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class PageQueryDto {
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(500) pageSize?: number;
}

export class LogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['changed', 'unchanged', 'failed', 'skipped'] })
  @IsOptional() @IsIn(['changed', 'unchanged', 'failed', 'skipped'])
  status?: 'changed' | 'unchanged' | 'failed' | 'skipped';
}

export class RunResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['manual', 'scheduled', 'review'] }) trigger!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: "Scheduled runs: the partner's local date." }) scheduledForDate!: string | null;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'partially_failed', 'failed', 'nothing_to_export'] }) status!: string;
  @ApiProperty({ description: 'Accounts to export in this run (known once the catalog phase is done).' }) total!: number;
  @ApiProperty({ description: 'Accounts with a result so far.' }) done!: number;
  @ApiProperty() changed!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() failed!: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the run failed or found nothing to do.' }) reason!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty() logUrl!: string;
}

export class RunPageResponseDto {
  @ApiProperty({ type: [RunResponseDto] }) items!: RunResponseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class FieldChangeResponseDto {
  @ApiProperty() field!: string;
  @ApiPropertyOptional({ description: 'Any JSON value.' }) before?: unknown;
  @ApiPropertyOptional({ description: 'Any JSON value.' }) after?: unknown;
}

export class OperationResponseDto {
  @ApiProperty({ enum: ['addition', 'document', 'catalogItem'] }) entity!: string;
  @ApiProperty() action!: string;
  @ApiPropertyOptional() id?: number;
  @ApiPropertyOptional() sku?: string;
  @ApiProperty({ type: [FieldChangeResponseDto] }) changes!: FieldChangeResponseDto[];
  @ApiPropertyOptional({ description: 'The price rule that produced the unit price of a new line or a price update (issue 18 billing control).' })
  priceRule?: string;
}

export class LogErrorResponseDto {
  @ApiProperty() kind!: string;
  @ApiPropertyOptional({ description: "ConnectWise's error code, when ConnectWise answered." }) code?: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() status?: number;
}

export class LogWarningResponseDto {
  @ApiProperty({ description: 'Stable code, e.g. `account-not-on-platform`, `no-catalog-item`, `duplicate-identifier`.' }) code!: string;
  @ApiPropertyOptional() sku?: string;
  @ApiProperty() message!: string;
}

export class LogEntryResponseDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() accountName!: string;
  @ApiProperty({ enum: ['changed', 'unchanged', 'failed', 'skipped'] }) status!: string;
  @ApiProperty({ type: [OperationResponseDto] }) operations!: OperationResponseDto[];
  @ApiProperty({ type: [LogWarningResponseDto], description: 'What did not fail the account but deserves a look (why it was skipped, a SKU left out…).' })
  warnings!: LogWarningResponseDto[];
  @ApiPropertyOptional({ type: LogErrorResponseDto, nullable: true }) error!: LogErrorResponseDto | null;
  @ApiProperty() attempts!: number;
  @ApiProperty() finishedAt!: string;
}

export class CatalogLogResponseDto {
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status!: string;
  @ApiProperty({ type: [OperationResponseDto], description: 'Catalog items created or updated, with before and after values.' })
  operations!: OperationResponseDto[];
  @ApiProperty({ type: [LogWarningResponseDto], description: 'SKUs left without a usable catalog item, and why.' }) warnings!: LogWarningResponseDto[];
  @ApiPropertyOptional({ type: LogErrorResponseDto, nullable: true }) error!: LogErrorResponseDto | null;
  @ApiProperty() attempts!: number;
  @ApiProperty() finishedAt!: string;
}

export class LogPageResponseDto {
  @ApiPropertyOptional({ type: CatalogLogResponseDto, nullable: true, description: "The run's catalog phase; null until it is done." })
  catalog!: CatalogLogResponseDto | null;
  @ApiProperty({ type: [LogEntryResponseDto] }) items!: LogEntryResponseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}
