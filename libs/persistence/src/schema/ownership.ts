import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Agreement additions this product created or adopted, by SKU. Never two additions for the same SKU on
 * the same agreement: the record is looked up first, and re-found by product when it is missing.
 */
export const additionOwnership = pgTable(
  'addition_ownership',
  {
    partnerId: text('partner_id').notNull(),
    agreementId: integer('agreement_id').notNull(),
    sku: text('sku').notNull(),
    accountId: text('account_id').notNull(),
    additionId: integer('addition_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.agreementId, t.sku] })],
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
    pendingSha256: text('pending_sha256'),
    attachedAt: timestamp('attached_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.agreementId] })],
);
