import { sql } from 'drizzle-orm';
import { boolean, customType, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** A partner (an MSP) of the platform; every other table is scoped by its id. */
export const partners = pgTable('partners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The partner's ConnectWise integration: its state as the management page shows it.
 * `needs_attention` is set when ConnectWise rejects the stored credentials mid-run.
 */
export const integrations = pgTable('integrations', {
  partnerId: text('partner_id').primaryKey().references(() => partners.id),
  state: text('state', { enum: ['not_configured', 'active', 'needs_attention', 'disabled'] })
    .notNull()
    .default('not_configured'),
  attentionReason: text('attention_reason'),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * ConnectWise API member credentials. The private key is stored only as AES-256-GCM ciphertext with
 * the id of the key that encrypted it (for rotation); the partner id is the additional data.
 */
export const connectwiseCredentials = pgTable('connectwise_credentials', {
  partnerId: text('partner_id').primaryKey().references(() => partners.id),
  site: text('site').notNull(),
  companyId: text('company_id').notNull(),
  publicKey: text('public_key').notNull(),
  privateKeyCiphertext: bytea('private_key_ciphertext').notNull(),
  privateKeyIv: bytea('private_key_iv').notNull(),
  privateKeyTag: bytea('private_key_tag').notNull(),
  encryptionKeyId: text('encryption_key_id').notNull(),
  connectwiseVersion: text('connectwise_version'),
  validatedAt: timestamp('validated_at', { withTimezone: true }).notNull(),
});

/** What to export and how; one row per partner. */
export const exportSettings = pgTable('export_settings', {
  partnerId: text('partner_id').primaryKey().references(() => partners.id),
  mode: text('mode', { enum: ['manual', 'daily'] }).notNull().default('manual'),
  /** Local time of day, `HH:MM`, in `timeZone` (IANA). */
  dailyTime: text('daily_time'),
  timeZone: text('time_zone').notNull().default('UTC'),
  exportProducts: boolean('export_products').notNull().default(true),
  exportQuantity: boolean('export_quantity').notNull().default(true),
  exportCost: boolean('export_cost').notNull().default(false),
  exportRetailPrice: boolean('export_retail_price').notNull().default(false),
  exportUsersList: boolean('export_users_list').notNull().default(true),
  disappearedSku: text('disappeared_sku', { enum: ['zero', 'cancel'] }).notNull().default('zero'),
  /** A SKU with no retail price while retail prices are exported (@cwx/domain MissingRetailPricePolicy). */
  missingRetailPrice: text('missing_retail_price', { enum: ['fail-line', 'skip-price'] }).notNull().default('fail-line'),
  /** Suspended / cancelled platform accounts (@cwx/domain InactiveAccountPolicy). */
  suspendedAccounts: text('suspended_accounts', { enum: ['bill', 'zero', 'cancel'] }).notNull().default('zero'),
  cancelledAccounts: text('cancelled_accounts', { enum: ['bill', 'zero', 'cancel'] }).notNull().default('zero'),
  /** What a SKU without a product mapping does: `create` its own catalog item, or `hold` until mapped (@cwx/domain BillingControl). */
  unmappedSkus: text('unmapped_skus', { enum: ['create', 'hold'] }).notNull().default('create'),
  catalogSubcategoryId: integer('catalog_subcategory_id'),
  productTypeId: integer('product_type_id'),
  unitOfMeasureId: integer('unit_of_measure_id'),
  agreementTypeId: integer('agreement_type_id'),
  billingCycleId: integer('billing_cycle_id'),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`now()`),
});
