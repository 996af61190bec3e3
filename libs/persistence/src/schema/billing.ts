import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Billing control (issue 18), the partner's half: what each platform SKU becomes in ConnectWise (per term, or `any`),
 * with the SKU's price rule. Absent: the SKU follows `export_settings.unmapped_skus`. Shapes: @cwx/domain billing.ts.
 */
export const billingProductMappings = pgTable(
  'billing_product_mappings',
  {
    partnerId: text('partner_id').notNull(),
    sku: text('sku').notNull(),
    /** `any`, `monthly` or `annual`: a term's own mapping wins over the SKU's. */
    term: text('term', { enum: ['any', 'monthly', 'annual'] }).notNull().default('any'),
    action: text('action', { enum: ['create', 'item', 'hold', 'do-not-bill'] }).notNull(),
    /** The existing ConnectWise catalog item, for `item`. */
    catalogItemId: integer('catalog_item_id'),
    /** @cwx/domain PriceRule, or null for the default. */
    priceRule: jsonb('price_rule'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.sku, t.term] })],
);

/** How a catalog item holding several SKUs counts (`sum` when absent). */
export const billingBundles = pgTable(
  'billing_bundles',
  {
    partnerId: text('partner_id').notNull(),
    catalogItemId: integer('catalog_item_id').notNull(),
    quantity: text('quantity', { enum: ['sum', 'distinct-users'] }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.catalogItemId] })],
);

/** One account's overrides: price rules, exclusions (with their reasons) and included quantities (@cwx/domain AccountBilling). */
export const billingAccounts = pgTable(
  'billing_accounts',
  {
    partnerId: text('partner_id').notNull(),
    accountId: text('account_id').notNull(),
    prices: jsonb('prices').notNull().default([]),
    exclusions: jsonb('exclusions').notNull().default([]),
    included: jsonb('included').notNull().default([]),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.accountId] })],
);
