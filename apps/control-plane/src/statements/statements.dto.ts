import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';

export class StatementQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'html'], default: 'csv' })
  @IsOptional() @IsIn(['csv', 'html'])
  format?: 'csv' | 'html';
}

export class SendStatementRequestDto {
  @ApiProperty({ example: 'billing@msp.example', description: "One of the partner's e-mail recipients (notification settings); any other address is refused with 400." })
  @IsEmail() @MaxLength(320)
  to!: string;
}

export class SendStatementResponseDto {
  @ApiProperty({ description: 'The queued e-mail; follow it in GET …/integration/notifications/deliveries.' }) notificationId!: number;
  @ApiProperty({ enum: ['pending'] }) status!: string;
}
