/** The export's stores over the `@cwx/persistence` tables (PostgreSQL or PGlite). */
import { additionOwnership, catalogItems, type Database, usersCsvDocuments } from '@cwx/persistence';
import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  CatalogItemStore,
  ExportStores,
  OwnershipEntry,
  OwnershipStore,
  StoredCatalogItem,
  StoredUsersCsv,
  UsersCsvStore,
} from './stores';

export class DrizzleOwnershipStore implements OwnershipStore {
  constructor(private readonly db: Database) {}

  async list(partnerId: string, agreementId: number): Promise<OwnershipEntry[]> {
    return this.db
      .select({
        agreementId: additionOwnership.agreementId,
        accountId: additionOwnership.accountId,
        sku: additionOwnership.sku,
        additionId: additionOwnership.additionId,
      })
      .from(additionOwnership)
      .where(and(eq(additionOwnership.partnerId, partnerId), eq(additionOwnership.agreementId, agreementId)))
      .orderBy(asc(additionOwnership.sku));
  }

  async save(partnerId: string, entry: OwnershipEntry): Promise<void> {
    await this.db
      .insert(additionOwnership)
      .values({ partnerId, ...entry })
      .onConflictDoUpdate({
        target: [additionOwnership.partnerId, additionOwnership.agreementId, additionOwnership.sku],
        set: { accountId: entry.accountId, additionId: entry.additionId, createdAt: sql`now()` },
      });
  }

  async remove(partnerId: string, agreementId: number, sku: string): Promise<void> {
    await this.db
      .delete(additionOwnership)
      .where(and(eq(additionOwnership.partnerId, partnerId), eq(additionOwnership.agreementId, agreementId), eq(additionOwnership.sku, sku)));
  }
}

export class DrizzleCatalogItemStore implements CatalogItemStore {
  constructor(private readonly db: Database) {}

  async list(partnerId: string): Promise<StoredCatalogItem[]> {
    return this.db
      .select({ sku: catalogItems.sku, catalogItemId: catalogItems.catalogItemId, identifier: catalogItems.identifier })
      .from(catalogItems)
      .where(eq(catalogItems.partnerId, partnerId))
      .orderBy(asc(catalogItems.sku));
  }

  async save(partnerId: string, item: StoredCatalogItem): Promise<void> {
    await this.db
      .insert(catalogItems)
      .values({ partnerId, ...item })
      .onConflictDoUpdate({
        target: [catalogItems.partnerId, catalogItems.sku],
        set: { catalogItemId: item.catalogItemId, identifier: item.identifier, updatedAt: sql`now()` },
      });
  }
}

export class DrizzleUsersCsvStore implements UsersCsvStore {
  constructor(private readonly db: Database) {}

  async get(partnerId: string, agreementId: number): Promise<StoredUsersCsv | undefined> {
    const [row] = await this.db
      .select({ documentId: usersCsvDocuments.documentId, sha256: usersCsvDocuments.sha256 })
      .from(usersCsvDocuments)
      .where(and(eq(usersCsvDocuments.partnerId, partnerId), eq(usersCsvDocuments.agreementId, agreementId)));
    return row;
  }

  async save(partnerId: string, agreementId: number, document: StoredUsersCsv): Promise<void> {
    await this.db
      .insert(usersCsvDocuments)
      .values({ partnerId, agreementId, ...document })
      .onConflictDoUpdate({
        target: [usersCsvDocuments.partnerId, usersCsvDocuments.agreementId],
        set: { documentId: document.documentId, sha256: document.sha256, attachedAt: sql`now()` },
      });
  }
}

export function drizzleExportStores(db: Database): ExportStores {
  return {
    ownership: new DrizzleOwnershipStore(db),
    catalogItems: new DrizzleCatalogItemStore(db),
    usersCsv: new DrizzleUsersCsvStore(db),
  };
}
