/** The export's stores over the `@cwx/persistence` tables (PostgreSQL or PGlite). */
import { additionOwnership, catalogItems, type Database, usersCsvDocuments } from '@cwx/persistence';
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { DrizzleReviewStore } from './drizzle-review-store';
import type {
  CatalogItemStore,
  ExportStores,
  OwnershipEntry,
  OwnershipStore,
  RecordedUsersCsv,
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
        key: additionOwnership.lineKey,
        additionId: additionOwnership.additionId,
      })
      .from(additionOwnership)
      .where(and(eq(additionOwnership.partnerId, partnerId), eq(additionOwnership.agreementId, agreementId)))
      .orderBy(asc(additionOwnership.lineKey));
  }

  async save(partnerId: string, entry: OwnershipEntry): Promise<void> {
    await this.db
      .insert(additionOwnership)
      .values({ partnerId, agreementId: entry.agreementId, accountId: entry.accountId, lineKey: entry.key, additionId: entry.additionId })
      .onConflictDoUpdate({
        target: [additionOwnership.partnerId, additionOwnership.agreementId, additionOwnership.lineKey],
        set: { accountId: entry.accountId, additionId: entry.additionId, createdAt: sql`now()` },
      });
  }

  async remove(partnerId: string, agreementId: number, key: string): Promise<void> {
    await this.db
      .delete(additionOwnership)
      .where(and(eq(additionOwnership.partnerId, partnerId), eq(additionOwnership.agreementId, agreementId), eq(additionOwnership.lineKey, key)));
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
        fileName: usersCsvDocuments.fileName,
        pendingSha256: usersCsvDocuments.pendingSha256,
        missingAt: usersCsvDocuments.missingAt,
      })
      .from(usersCsvDocuments)
      .where(and(eq(usersCsvDocuments.partnerId, partnerId), eq(usersCsvDocuments.agreementId, agreementId)));
    if (!row) return undefined;
    const record: UsersCsvRecord = {};
    if (row.documentId !== null && row.sha256 !== null) {
      record.document = { documentId: row.documentId, sha256: row.sha256 };
      if (row.title !== null) record.document.title = row.title;
      if (row.fileName !== null) record.document.fileName = row.fileName;
      if (row.missingAt !== null) record.missing = true;
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
        set: {
          documentId: document.documentId,
          sha256: document.sha256,
          title: document.title ?? null,
          fileName: document.fileName ?? null,
          pendingSha256: null,
          missingAt: null,
          attachedAt: sql`now()`,
        },
      });
  }

  async listRecorded(partnerId: string, agreementIds: readonly number[]): Promise<RecordedUsersCsv[]> {
    if (agreementIds.length === 0) return [];
    const rows = await this.db
      .select({ agreementId: usersCsvDocuments.agreementId, documentId: usersCsvDocuments.documentId })
      .from(usersCsvDocuments)
      .where(
        and(
          eq(usersCsvDocuments.partnerId, partnerId),
          inArray(usersCsvDocuments.agreementId, [...agreementIds]),
          isNotNull(usersCsvDocuments.documentId),
          isNull(usersCsvDocuments.pendingSha256),
          isNull(usersCsvDocuments.missingAt),
        ),
      )
      .orderBy(asc(usersCsvDocuments.agreementId));
    return rows.flatMap((r) => (r.documentId === null ? [] : [{ agreementId: r.agreementId, documentId: r.documentId }]));
  }

  async markMissing(partnerId: string, agreementId: number, documentId: number): Promise<void> {
    await this.db
      .update(usersCsvDocuments)
      .set({ missingAt: sql`now()` })
      .where(
        and(
          eq(usersCsvDocuments.partnerId, partnerId),
          eq(usersCsvDocuments.agreementId, agreementId),
          eq(usersCsvDocuments.documentId, documentId),
          isNull(usersCsvDocuments.pendingSha256),
        ),
      );
  }
}

export function drizzleExportStores(db: Database): ExportStores {
  return {
    ownership: new DrizzleOwnershipStore(db),
    catalogItems: new DrizzleCatalogItemStore(db),
    usersCsv: new DrizzleUsersCsvStore(db),
    review: new DrizzleReviewStore(db),
  };
}
