/**
 * The records the export keeps about what it wrote to ConnectWise. Every query is scoped by partner id.
 * The worker writes only these; the drizzle implementations are in drizzle-stores.ts.
 */
import type { PendingChange, ReviewDecision, WrittenLine } from '@cwx/domain';

/**
 * Our claim on an addition: this agreement's line `key` is `additionId`. The key is the line's `item:<catalogItemId>:<term>`
 * (issue 18); claims written before hold the SKU, which the plan reads as that SKU's own item's monthly line.
 */
export interface OwnershipEntry {
  agreementId: number;
  accountId: string;
  key: string;
  additionId: number;
}

export interface OwnershipStore {
  /** Every claim on the agreement, whichever account made it. */
  list(partnerId: string, agreementId: number): Promise<OwnershipEntry[]>;
  /** Insert or replace the claim for (agreement, key). */
  save(partnerId: string, entry: OwnershipEntry): Promise<void>;
  remove(partnerId: string, agreementId: number, key: string): Promise<void>;
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
  /** Absent on rows recorded before file names were kept. */
  fileName?: string;
}

/** A recorded copy as the existence check sees it. */
export interface RecordedUsersCsv {
  agreementId: number;
  documentId: number;
}

/**
 * The ledger row of an agreement's users CSV. `pendingSha256` is set before an upload and cleared when its
 * outcome is saved: while it is set, ConnectWise may hold a copy the ledger does not know.
 */
export interface UsersCsvRecord {
  /** Absent until the first upload is recorded. */
  document?: StoredUsersCsv;
  pendingSha256?: string;
  /** The recorded copy was found gone from ConnectWise (see `markMissing`). */
  missing?: true;
}

export interface UsersCsvStore {
  get(partnerId: string, agreementId: number): Promise<UsersCsvRecord | undefined>;
  /** Written before an upload, so a crash before `save` is noticed by the next export. */
  markPending(partnerId: string, agreementId: number, sha256: string): Promise<void>;
  /** Records the attached copy and clears the pending mark and the missing mark. */
  save(partnerId: string, agreementId: number, document: StoredUsersCsv): Promise<void>;
  /** The settled recorded copies (no upload pending, not already missing) of these agreements. */
  listRecorded(partnerId: string, agreementIds: readonly number[]): Promise<RecordedUsersCsv[]>;
  /** Marks the recorded copy as gone from ConnectWise, if the ledger still names that document. */
  markMissing(partnerId: string, agreementId: number, documentId: number): Promise<void>;
}

/** The three stores together, as the exporters take them. */
export interface ExportStores {
  ownership: OwnershipStore;
  catalogItems: CatalogItemStore;
  usersCsv: UsersCsvStore;
  review: ReviewStore;
}

/** A decision the plan must honour, and the day an approved change was first seen (its change date). */
export interface ReviewState {
  decisions: ReviewDecision[];
  /** SKU → the day an approved change was first seen (`YYYY-MM-DD`). */
  firstSeen: Map<string, string>;
  written: WrittenLine[];
}

/** The queue of held changes, the decisions on them, and the record of what we last wrote (for edits made in ConnectWise). */
export interface ReviewStore {
  state(partnerId: string, agreementId: number): Promise<ReviewState>;
  /**
   * The run's held changes for one agreement: new ones enter the queue (first seen on `seenOn`), ones still
   * held are refreshed, and queued ones the run no longer holds are superseded (the platform moved on, or
   * ConnectWise came to hold the value).
   */
  recordQueue(partnerId: string, queue: { accountId: string; accountName: string; agreementId: number; runId: string; seenOn: string; pending: readonly PendingChange[] }): Promise<void>;
  /** Approved changes now in ConnectWise (written by this run, or found already there): applied, once, with an audit entry. */
  markApplied(partnerId: string, agreementId: number, runId: string, changes: readonly { sku: string; fingerprint: string }[]): Promise<void>;
  saveWritten(partnerId: string, agreementId: number, lines: readonly WrittenLine[]): Promise<void>;
}
