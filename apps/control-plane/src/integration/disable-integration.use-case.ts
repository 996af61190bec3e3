import { Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { connectwiseCredentials, integrations, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { AppError } from '../http/app-error';
import type { DisableIntegrationResponseDto } from './integration-status.dto';

export const NOTHING_DELETED_NOTICE =
  'Nothing was deleted in ConnectWise. Mappings and logs are kept; enter credentials again to enable.';

/**
 * Disable stops the schedule (a disabled integration never starts a run), erases the stored keys and
 * keeps mappings and logs. Nothing in ConnectWise is touched.
 */
@Injectable()
export class DisableIntegration {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async execute(command: { partnerId: string }): Promise<DisableIntegrationResponseDto> {
    const updated = await this.db.transaction(async (tx) => {
      const rows = await tx
        .update(integrations)
        .set({ state: 'disabled', attentionReason: null, version: sql`${integrations.version} + 1`, updatedAt: new Date() })
        .where(eq(integrations.partnerId, command.partnerId))
        .returning({ partnerId: integrations.partnerId });
      await tx.delete(connectwiseCredentials).where(eq(connectwiseCredentials.partnerId, command.partnerId));
      return rows.length;
    });
    if (updated === 0) throw AppError.notFound(`Partner ${command.partnerId}`);
    return { state: 'disabled', notice: NOTHING_DELETED_NOTICE };
  }
}
