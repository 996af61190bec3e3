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

/** The users CSV this product attached to an agreement, with the hash of its content. */
export const usersCsvDocuments = pgTable(
  'users_csv_documents',
  {
    partnerId: text('partner_id').notNull(),
    agreementId: integer('agreement_id').notNull(),
    documentId: integer('document_id').notNull(),
    sha256: text('sha256').notNull(),
    attachedAt: timestamp('attached_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.agreementId] })],
);
