import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { integrations, partners, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type PartnerRow = typeof partners.$inferSelect;
export type IntegrationRow = typeof integrations.$inferSelect;

@Injectable()
export class PartnersRepository {
  /** Partners already known to exist, so that provisioning costs one query per partner per process. */
  private readonly known = new Set<string>();

  constructor(@InjectDatabase() private readonly db: Database) {}

  /** Creates the partner and its (not yet configured) integration on the partner's first request. */
  async ensure(partnerId: string, name?: string): Promise<void> {
    if (this.known.has(partnerId)) return;
    await this.db.transaction(async (tx) => {
      await tx.insert(partners).values({ id: partnerId, name: name ?? partnerId }).onConflictDoNothing();
      await tx.insert(integrations).values({ partnerId }).onConflictDoNothing();
    });
    this.known.add(partnerId);
  }

  async find(partnerId: string): Promise<PartnerRow | undefined> {
    const rows = await this.db.select().from(partners).where(eq(partners.id, partnerId));
    return rows[0];
  }

  async findIntegration(partnerId: string): Promise<IntegrationRow | undefined> {
    const rows = await this.db.select().from(integrations).where(eq(integrations.partnerId, partnerId));
    return rows[0];
  }
}
