import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { billingAccounts, billingBundles, billingProductMappings, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type ProductMappingRow = typeof billingProductMappings.$inferSelect;
export type BundleRow = typeof billingBundles.$inferSelect;
export type AccountBillingRow = typeof billingAccounts.$inferSelect;
export type AccountBillingValues = Pick<AccountBillingRow, 'prices' | 'exclusions' | 'included' | 'updatedAt'>;

/** A partner's billing control (issue 18): product mappings, bundles and per-account overrides. */
@Injectable()
export class BillingRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** The product mappings (by SKU and term) and bundles (by catalog item). */
  async productRules(partnerId: string): Promise<{ products: ProductMappingRow[]; bundles: BundleRow[] }> {
    const [products, bundles] = await Promise.all([
      this.db.select().from(billingProductMappings).where(eq(billingProductMappings.partnerId, partnerId)).orderBy(billingProductMappings.sku, billingProductMappings.term),
      this.db.select().from(billingBundles).where(eq(billingBundles.partnerId, partnerId)).orderBy(billingBundles.catalogItemId),
    ]);
    return { products, bundles };
  }

  /** Replaces every mapping and bundle rule of the partner in one transaction. */
  async replaceProductRules(
    partnerId: string,
    products: Omit<typeof billingProductMappings.$inferInsert, 'partnerId'>[],
    bundles: Pick<BundleRow, 'catalogItemId' | 'quantity'>[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(billingProductMappings).where(eq(billingProductMappings.partnerId, partnerId));
      await tx.delete(billingBundles).where(eq(billingBundles.partnerId, partnerId));
      if (products.length > 0) await tx.insert(billingProductMappings).values(products.map((p) => ({ ...p, partnerId })));
      if (bundles.length > 0) await tx.insert(billingBundles).values(bundles.map((b) => ({ partnerId, catalogItemId: b.catalogItemId, quantity: b.quantity })));
    });
  }

  async findAccount(partnerId: string, accountId: string): Promise<AccountBillingRow | undefined> {
    const [row] = await this.db
      .select()
      .from(billingAccounts)
      .where(and(eq(billingAccounts.partnerId, partnerId), eq(billingAccounts.accountId, accountId)));
    return row;
  }

  /** Writes the account's overrides over `expectedVersion` (0: none yet); undefined when another request was first. */
  async saveAccount(partnerId: string, accountId: string, expectedVersion: number, values: AccountBillingValues): Promise<AccountBillingRow | undefined> {
    const [row] =
      expectedVersion === 0
        ? await this.db.insert(billingAccounts).values({ partnerId, accountId, ...values, version: 1 }).onConflictDoNothing().returning()
        : await this.db
            .update(billingAccounts)
            .set({ ...values, version: sql`${billingAccounts.version} + 1` })
            .where(and(eq(billingAccounts.partnerId, partnerId), eq(billingAccounts.accountId, accountId), eq(billingAccounts.version, expectedVersion)))
            .returning();
    return row;
  }
}
