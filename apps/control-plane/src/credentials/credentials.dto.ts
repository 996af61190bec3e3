import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class SaveCredentialsRequestDto {
  @ApiProperty({ example: 'api-na.myconnectwise.net', description: 'The ConnectWise API host (or its https URL).' })
  @IsString()
  @Length(3, 253)
  site!: string;

  @ApiProperty({ example: 'mycompany', description: 'The company ID used at ConnectWise login.' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[^\s+:]+$/, { message: 'must not contain spaces, "+" or ":"' })
  companyId!: string;

  @ApiProperty({ description: "The API member's public key." })
  @IsString()
  @Length(1, 128)
  @Matches(/^[^\s:]+$/, { message: 'must not contain spaces or ":"' })
  publicKey!: string;

  @ApiProperty({ description: "The API member's private key. Stored encrypted; never returned." })
  @IsString()
  @Length(1, 256)
  @Matches(/^\S+$/, { message: 'must not contain spaces' })
  privateKey!: string;
}

export class CredentialsResponseDto {
  @ApiProperty() site!: string;
  @ApiProperty() companyId!: string;
  @ApiProperty() publicKey!: string;
  @ApiProperty({ example: '••••••••', description: 'Always masked; the key itself is never returned.' }) privateKey!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'v2025.1' }) connectwiseVersion!: string | null;
  @ApiProperty() validatedAt!: string;
}
