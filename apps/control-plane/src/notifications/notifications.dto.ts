import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, Max, ValidateIf } from 'class-validator';
import { NOTIFICATION_CADENCES, NOTIFICATION_EVENTS } from '@cwx/persistence';
import { IsVersion } from '../http/validation';

export class SaveNotificationSettingsRequestDto {
  @ApiPropertyOptional({ description: 'The version last read; required once settings exist (a stale one gets 409).' })
  @IsOptional() @IsVersion(0)
  version?: number;

  @ApiProperty({ type: [String], example: ['billing@msp.example'], description: 'Who receives reports and alerts by e-mail (up to 20).' })
  @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsEmail({}, { each: true })
  emailRecipients!: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://hooks.msp.example/cwx',
    description: 'Webhook receiving the same events as signed JSON; https only (plain http only for loopback). null removes it and its secret.',
  })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(2000)
  webhookUrl?: string | null;

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true, description: 'Which events are sent.' })
  @IsArray() @ArrayUnique() @IsIn(NOTIFICATION_EVENTS, { each: true })
  events!: (typeof NOTIFICATION_EVENTS)[number][];

  @ApiProperty({ enum: NOTIFICATION_CADENCES, description: 'Run reports after every run, or one digest a day or a week (alerts are always sent at once).' })
  @IsIn(NOTIFICATION_CADENCES)
  cadence!: (typeof NOTIFICATION_CADENCES)[number];

  @ApiProperty({ description: 'No report when a run changed nothing and nothing failed.' })
  @IsBoolean()
  silentWhenUnchanged!: boolean;

  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: 100, description: 'Consecutive failed runs of one account that raise `account.failing`.' })
  @IsOptional() @IsInt() @Min(1) @Max(100)
  failingRunsThreshold?: number;
}

export class RotateWebhookSecretRequestDto {
  @ApiProperty({ description: 'The version last read.' })
  @IsVersion()
  version!: number;
}

export class NotificationSettingsResponseDto {
  @ApiProperty({ description: '0 until first saved.' }) version!: number;
  @ApiProperty({ type: [String] }) emailRecipients!: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) webhookUrl!: string | null;
  @ApiProperty({ description: 'Whether a webhook secret is stored (it is never returned after it was shown once).' }) webhookSecretSet!: boolean;
  @ApiPropertyOptional({
    description: 'The webhook secret, only in the answer that generated it (webhook first set, or rotated). Store it: it is not shown again.',
  })
  webhookSecret?: string;
  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true }) events!: string[];
  @ApiProperty({ enum: NOTIFICATION_CADENCES }) cadence!: string;
  @ApiProperty() silentWhenUnchanged!: boolean;
  @ApiProperty() failingRunsThreshold!: number;
}

export class NotificationDeliveryResponseDto {
  @ApiProperty() attempt!: number;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'HTTP status (webhook) or SMTP reply code (e-mail).' }) statusCode!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty() attemptedAt!: string;
}

export class NotificationResponseDto {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel!: string;
  @ApiProperty() event!: string;
  @ApiProperty({ description: 'What it is about: `run:<id>`, a digest period, a set of accounts…' }) subject!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'suppressed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) sentAt!: string | null;
  @ApiProperty({ type: [NotificationDeliveryResponseDto] }) deliveries!: NotificationDeliveryResponseDto[];
}

export class NotificationPageResponseDto {
  @ApiProperty({ type: [NotificationResponseDto] }) items!: NotificationResponseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}
