import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ID_RULE, IsPlatformId } from '../http/validation';
import { LogErrorResponseDto, OperationResponseDto } from '../runs/runs.dto';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

export class PreviewQueryDto {
  @ApiPropertyOptional({ description: `One account (${ID_RULE}); without it, a page of the exported accounts.` })
  @IsOptional() @IsString() @IsPlatformId()
  accountId?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100000) page?: number;
  @ApiPropertyOptional({ default: 20, maximum: 100 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100) pageSize?: number;
}

export class WarningResponseDto {
  @ApiProperty() code!: string;
  @ApiPropertyOptional() sku?: string;
  @ApiProperty() message!: string;
}

export class AccountPreviewResponseDto {
  @ApiProperty() accountId!: string;
  @ApiProperty() accountName!: string;
  @ApiProperty({ enum: ['changed', 'unchanged', 'failed', 'skipped'], description: '`changed`: the export would write.' }) status!: string;
  @ApiProperty({ type: [OperationResponseDto], description: 'What the export would do; `id` is null for a record it would create.' })
  operations!: OperationResponseDto[];
  @ApiProperty({ type: [WarningResponseDto] }) warnings!: WarningResponseDto[];
  @ApiPropertyOptional({ type: LogErrorResponseDto, nullable: true }) error!: LogErrorResponseDto | null;
}

export class PreviewResponseDto {
  @ApiProperty({ type: [OperationResponseDto], description: 'Catalog items the export would create or patch.' })
  catalog!: OperationResponseDto[];
  @ApiProperty({ type: [AccountPreviewResponseDto] }) accounts!: AccountPreviewResponseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Exported accounts in all.' }) total!: number;
  @ApiProperty({ description: 'Nothing is written by a preview, in ConnectWise or here.' }) applied!: boolean;
}
