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

/** The users CSV we attached to an agreement last: its document, the SHA-256 of its content and its title. */
export interface StoredUsersCsv {
  documentId: number;
  sha256: string;
  /** Absent on rows recorded before titles were kept. */
  title?: string;
}

/**
 * The ledger row of an agreement's users CSV. `pendingSha256` is set before an upload and cleared when its
 * outcome is saved: while it is set, ConnectWise may hold a copy the ledger does not know.
 */
export interface UsersCsvRecord {
  /** Absent until the first upload is recorded. */
  document?: StoredUsersCsv;
  pendingSha256?: string;
}

export interface UsersCsvStore {
  get(partnerId: string, agreementId: number): Promise<UsersCsvRecord | undefined>;
  /** Written before an upload, so a crash before `save` is noticed by the next export. */
  markPending(partnerId: string, agreementId: number, sha256: string): Promise<void>;
  /** Records the attached copy and clears the pending mark. */
  save(partnerId: string, agreementId: number, document: StoredUsersCsv): Promise<void>;
}

/** The three stores together, as the exporters take them. */
export interface ExportStores {
  ownership: OwnershipStore;
  catalogItems: CatalogItemStore;
  usersCsv: UsersCsvStore;
}
