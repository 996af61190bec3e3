import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { connectwiseCredentials, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { AppError } from '../http/app-error';
import type { CredentialsResponseDto } from './credentials.dto';
import { MASKED_PRIVATE_KEY } from './save-credentials.use-case';

/** Shows the stored credentials: site, company ID, public key, and a mask in place of the private key. */
@Injectable()
export class GetCredentials {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async execute(command: { partnerId: string }): Promise<CredentialsResponseDto> {
    const [row] = await this.db
      .select({
        site: connectwiseCredentials.site,
        companyId: connectwiseCredentials.companyId,
        publicKey: connectwiseCredentials.publicKey,
        connectwiseVersion: connectwiseCredentials.connectwiseVersion,
        validatedAt: connectwiseCredentials.validatedAt,
      })
      .from(connectwiseCredentials)
      .where(eq(connectwiseCredentials.partnerId, command.partnerId));
    if (!row) throw AppError.notFound('Stored credentials');
    return { ...row, privateKey: MASKED_PRIVATE_KEY, validatedAt: row.validatedAt.toISOString() };
  }
}
