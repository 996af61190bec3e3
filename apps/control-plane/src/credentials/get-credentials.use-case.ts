import { Injectable } from '@nestjs/common';
import { CredentialsRepository } from '@cwx/persistence';
import { AppError } from '../http/app-error';
import type { CredentialsResponseDto } from './credentials.dto';
import { MASKED_PRIVATE_KEY } from './save-credentials.use-case';

/** Shows the stored credentials: site, company ID, public key, and a mask in place of the private key. */
@Injectable()
export class GetCredentials {
  constructor(private readonly credentials: CredentialsRepository) {}

  async execute(command: { partnerId: string }): Promise<CredentialsResponseDto> {
    const row = await this.credentials.find(command.partnerId);
    if (!row) throw AppError.notFound('Stored credentials');
    return { ...row, privateKey: MASKED_PRIVATE_KEY, validatedAt: row.validatedAt.toISOString() };
  }
}
