import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateSignInCodeDto {
  @ApiPropertyOptional({ description: 'The partner to sign in as; required with an operator token, must match a partner token.', example: 'p-1' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  partnerId?: string;
}

export class SignInCodeResponseDto {
  @ApiProperty({ description: 'One-time code, valid 15 minutes, exchanged once for a console session.' }) code!: string;
  @ApiProperty({ description: 'The console URL that signs in with it (the code is in the fragment, never sent to a server log).' })
  url!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
}

export class ExchangeSignInCodeDto {
  @ApiProperty() @IsString() @Length(16, 128)
  code!: string;
}

export class ConsoleSessionResponseDto {
  @ApiProperty() partnerId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) partnerName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time', description: 'When the session ends; null for a bearer token.' })
  expiresAt!: string | null;
}
