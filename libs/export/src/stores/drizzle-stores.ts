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
  UsersCsvRecord,
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

  async get(partnerId: string, agreementId: number): Promise<UsersCsvRecord | undefined> {
    const [row] = await this.db
      .select({
        documentId: usersCsvDocuments.documentId,
        sha256: usersCsvDocuments.sha256,
        title: usersCsvDocuments.title,
        pendingSha256: usersCsvDocuments.pendingSha256,
      })
      .from(usersCsvDocuments)
      .where(and(eq(usersCsvDocuments.partnerId, partnerId), eq(usersCsvDocuments.agreementId, agreementId)));
    if (!row) return undefined;
    const record: UsersCsvRecord = {};
    if (row.documentId !== null && row.sha256 !== null) {
      record.document = { documentId: row.documentId, sha256: row.sha256 };
      if (row.title !== null) record.document.title = row.title;
    }
    if (row.pendingSha256 !== null) record.pendingSha256 = row.pendingSha256;
    return record;
  }

  async markPending(partnerId: string, agreementId: number, sha256: string): Promise<void> {
    await this.db
      .insert(usersCsvDocuments)
      .values({ partnerId, agreementId, pendingSha256: sha256 })
      .onConflictDoUpdate({ target: [usersCsvDocuments.partnerId, usersCsvDocuments.agreementId], set: { pendingSha256: sha256 } });
  }

  async save(partnerId: string, agreementId: number, document: StoredUsersCsv): Promise<void> {
    await this.db
      .insert(usersCsvDocuments)
      .values({ partnerId, agreementId, ...document, pendingSha256: null })
      .onConflictDoUpdate({
        target: [usersCsvDocuments.partnerId, usersCsvDocuments.agreementId],
        set: { documentId: document.documentId, sha256: document.sha256, title: document.title ?? null, pendingSha256: null, attachedAt: sql`now()` },
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
