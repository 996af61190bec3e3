/**
 * The records the export keeps about what it wrote to ConnectWise. Every query is scoped by partner id.
 * The worker writes only these; the drizzle implementations are in drizzle-stores.ts.
 */

/** Our claim on an addition: this agreement's line for this SKU is `additionId`. */
export interface OwnershipEntry {
  agreementId: number;
  accountId: string;
  sku: string;
  additionId: number;
}

export interface OwnershipStore {
  /** Every claim on the agreement, whichever account made it. */
  list(partnerId: string, agreementId: number): Promise<OwnershipEntry[]>;
  /** Insert or replace the claim for (agreement, SKU). */
  save(partnerId: string, entry: OwnershipEntry): Promise<void>;
  remove(partnerId: string, agreementId: number, sku: string): Promise<void>;
}

export interface StoredCatalogItem {
  sku: string;
  catalogItemId: number;
  identifier: string;
}

export interface CatalogItemStore {
  list(partnerId: string): Promise<StoredCatalogItem[]>;
  /** Insert or replace the item of (partner, SKU). */
  save(partnerId: string, item: StoredCatalogItem): Promise<void>;
}

/** The users CSV we attached to an agreement last, and the SHA-256 of its content. */
export interface StoredUsersCsv {
  documentId: number;
  sha256: string;
}

export interface UsersCsvStore {
  get(partnerId: string, agreementId: number): Promise<StoredUsersCsv | undefined>;
  save(partnerId: string, agreementId: number, document: StoredUsersCsv): Promise<void>;
}

/** The three stores together, as the exporters take them. */
export interface ExportStores {
  ownership: OwnershipStore;
  catalogItems: CatalogItemStore;
  usersCsv: UsersCsvStore;
}
