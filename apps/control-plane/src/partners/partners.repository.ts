import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { connectwiseCredentials, integrations, partners, type Database, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

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

  /** Whether the partner exists (a yes is remembered, like `ensure`'s). */
  async exists(partnerId: string): Promise<boolean> {
    if (this.known.has(partnerId)) return true;
    const rows = await this.db.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId));
    if (rows.length > 0) this.known.add(partnerId);
    return rows.length > 0;
  }

  /** The partner's name; undefined when there is no such partner. */
  async name(partnerId: string): Promise<string | undefined> {
    const [partner] = await this.db.select({ name: partners.name }).from(partners).where(eq(partners.id, partnerId));
    return partner?.name;
  }

  /** Every partner this installation knows, with its name. */
  list(): Promise<{ id: string; name: string }[]> {
    return this.db.select({ id: partners.id, name: partners.name }).from(partners);
  }

  /** Disables the integration and erases its stored keys, in one transaction; false when the partner does not exist. */
  async disableIntegration(partnerId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(integrations)
        .set({ state: 'disabled', attentionReason: null, version: sql`${integrations.version} + 1`, updatedAt: new Date() })
        .where(eq(integrations.partnerId, partnerId))
        .returning({ partnerId: integrations.partnerId });
      await tx.delete(connectwiseCredentials).where(eq(connectwiseCredentials.partnerId, partnerId));
      return rows.length > 0;
    });
  }

  /** The partner's integration; `tx` reads it in the caller's transaction. */
  async findIntegration(partnerId: string, tx: Database | Transaction = this.db): Promise<IntegrationRow | undefined> {
    const rows = await tx.select().from(integrations).where(eq(integrations.partnerId, partnerId));
    return rows[0];
  }

  /** The state of the partner's integration, read in the caller's transaction; undefined when there is none. */
  async integrationState(tx: Transaction, partnerId: string): Promise<IntegrationRow['state'] | undefined> {
    const [integration] = await tx.select({ state: integrations.state }).from(integrations).where(eq(integrations.partnerId, partnerId));
    return integration?.state;
  }

  /** An active integration needs attention, for `reason` (ConnectWise rejected its credentials), in the caller's transaction. */
  async markNeedsAttention(tx: Transaction, partnerId: string, reason: string): Promise<void> {
    await tx
      .update(integrations)
      .set({ state: 'needs_attention', attentionReason: reason, updatedAt: new Date(), version: sql`${integrations.version} + 1` })
      .where(and(eq(integrations.partnerId, partnerId), eq(integrations.state, 'active')));
  }

  /** Whether ConnectWise credentials are stored for the partner, read in the caller's transaction. */
  async hasCredentials(tx: Transaction, partnerId: string): Promise<boolean> {
    const [credentials] = await tx
      .select({ partnerId: connectwiseCredentials.partnerId })
      .from(connectwiseCredentials)
      .where(eq(connectwiseCredentials.partnerId, partnerId));
    return credentials !== undefined;
  }
}
