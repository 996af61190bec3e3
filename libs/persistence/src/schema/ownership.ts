import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Agreement additions this product created or adopted, one per line: the line key `item:<catalogItemId>:<term>` (issue
 * 18: one line per agreement, catalog item and term). Rows written before hold the SKU whose own item the line was; the
 * plan reads them as that item's monthly line. The column keeps its old name, `sku`. Never two additions for one line:
 * the record is looked up first, and re-found by product when it is missing.
 */
export const additionOwnership = pgTable(
  'addition_ownership',
  {
    partnerId: text('partner_id').notNull(),
    agreementId: integer('agreement_id').notNull(),
    lineKey: text('sku').notNull(),
    accountId: text('account_id').notNull(),
    additionId: integer('addition_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.agreementId, t.lineKey] })],
);

/** The ConnectWise catalog item that stands for each resold SKU of a partner. */
export const catalogItems = pgTable(
  'catalog_items',
  {
    partnerId: text('partner_id').notNull(),
    sku: text('sku').notNull(),
    catalogItemId: integer('catalog_item_id').notNull(),
    identifier: text('identifier').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.sku] })],
);

/**
 * The users CSV this product attached to an agreement, with the hash of its content: the ledger that lets an
 * export replace its copy without listing the agreement's documents. `pending_sha256` is written before an
 * upload and cleared with the record of its outcome; while it is set, ConnectWise may hold an upload the ledger
 * does not know, and the next export lists the documents to settle it.
 */
export const usersCsvDocuments = pgTable(
  'users_csv_documents',
  {
    partnerId: text('partner_id').notNull(),
    agreementId: integer('agreement_id').notNull(),
    /** Null until the first upload is recorded. */
    documentId: integer('document_id'),
    sha256: text('sha256'),
    title: text('title'),
    /** The file name the recorded copy was uploaded with (`users-<slug>.csv`); null on rows recorded before it was kept. */
    fileName: text('file_name'),
    pendingSha256: text('pending_sha256'),
    /** Set when a run found the recorded copy gone from ConnectWise (deleted by hand): the next account job attaches it again. */
    missingAt: timestamp('missing_at', { withTimezone: true }),
    attachedAt: timestamp('attached_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.agreementId] })],
);
