import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOT_SCHEDULED_REASONS } from '../scheduler/schedule';

export class ScheduledInstantResponseDto {
  @ApiProperty({ example: '2026-11-27T02:00:00.000+01:00', description: "In the partner's time zone." })
  local!: string;
  @ApiProperty({ example: '2026-11-27T01:00:00.000Z' })
  utc!: string;
  @ApiProperty({ example: 'Europe/Amsterdam' })
  timeZone!: string;
}

export class LastRunSummaryResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'partially_failed', 'failed', 'nothing_to_export'] }) status!: string;
  @ApiProperty() examined!: number;
  @ApiProperty() changed!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() failed!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ description: 'Where the per-account log of this run is read.' }) logUrl!: string;
}

export class IntegrationStatusResponseDto {
  @ApiProperty() partnerId!: string;
  @ApiProperty({ enum: ['not_configured', 'active', 'needs_attention', 'disabled'] }) state!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the integration needs attention.' })
  attentionReason!: string | null;
  @ApiProperty({ description: 'Whether valid ConnectWise credentials are stored.' }) credentialsStored!: boolean;
  @ApiProperty({ enum: ['manual', 'daily'] }) exportMode!: string;
  @ApiPropertyOptional({
    type: ScheduledInstantResponseDto,
    nullable: true,
    description: 'The next daily export the scheduler will start; null when none will (see notScheduledReason).',
  })
  nextScheduledExport!: ScheduledInstantResponseDto | null;
  @ApiPropertyOptional({
    enum: NOT_SCHEDULED_REASONS,
    nullable: true,
    description: 'Why no daily export is scheduled (the integration is disabled or needs attention, no credentials, no settings, manual mode…); null when one is.',
  })
  notScheduledReason!: string | null;
  @ApiPropertyOptional({ type: LastRunSummaryResponseDto, nullable: true })
  lastExport!: LastRunSummaryResponseDto | null;
}

export class DisableIntegrationResponseDto {
  @ApiProperty({ enum: ['disabled'] }) state!: string;
  @ApiProperty({ example: 'Nothing was deleted in ConnectWise. Mappings and logs are kept; enter credentials again to enable.' })
  notice!: string;
}
