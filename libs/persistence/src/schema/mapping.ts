import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { partners } from './partners';

/** One company offered for an ambiguous account. */
export interface SuggestionCandidate {
  companyId: number;
  companyName: string | null;
  score: number;
  reason: string;
}

/**
 * One customer account of a partner and where it goes in ConnectWise. `state` is what the wizard
 * filters by; a suggestion never overwrites a mapped account or a partner's manual choice.
 */
export const accountMappings = pgTable(
  'account_mappings',
  {
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    accountId: text('account_id').notNull(),
    accountName: text('account_name').notNull(),
    /** The platform's status of the account as of the latest accounts sync; the export bills by its policy. */
    platformStatus: text('platform_status', { enum: ['active', 'suspended', 'cancelled'] }).notNull().default('active'),
    state: text('state', { enum: ['unmapped', 'suggested', 'mapped'] }).notNull().default('unmapped'),
    companyId: integer('company_id'),
    companyName: text('company_name'),
    agreementId: integer('agreement_id'),
    agreementName: text('agreement_name'),
    exportEnabled: boolean('export_enabled').notNull().default(false),
    suggestedCompanyId: integer('suggested_company_id'),
    suggestedCompanyName: text('suggested_company_name'),
    suggestionScore: doublePrecision('suggestion_score'),
    suggestionReason: text('suggestion_reason'),
    /** How far the suggestion can be trusted (libs/matching): exact after normalizing, strong, possible. */
    suggestionTier: text('suggestion_tier', { enum: ['exact', 'strong', 'possible'] }),
    /** What was learned from the partner's decisions and used for this suggestion, in words. */
    suggestionLearned: jsonb('suggestion_learned').$type<string[]>(),
    /**
     * Set when several companies share the account's name and nothing decides (sibling sites): the account stays
     * `unmapped`, `suggestion_reason` says why and these are the candidates, best first.
     */
    suggestionCandidates: jsonb('suggestion_candidates').$type<SuggestionCandidate[]>(),
    /** Set when the partner rejected or chose by hand; suggestions leave such rows alone. */
    manualChoiceAt: timestamp('manual_choice_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The name lowercased, for `q=`: `LIKE` on it is a plain byte match, about four times cheaper per row than
     * `ILIKE` on the name (measured: 1.0 ms against 4.1 ms over 10,000 names).
     */
    nameSearch: text('name_search')
      .notNull()
      .generatedAlwaysAs(sql`lower(account_name)`),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.accountId] }),
    // The mapping list's order is (name, id): these cover its filters and search, so a page's keys and a
    // search's count are index-only scans.
    index('account_mappings_partner_state_name_idx').on(t.partnerId, t.state, t.accountName, t.accountId, t.nameSearch),
    index('account_mappings_partner_name_id_idx').on(t.partnerId, t.accountName, t.accountId, t.nameSearch),
    // A rare search word: trigrams (pg_trgm, created by migration 0005) find its rows without reading them all.
    index('account_mappings_name_search_trgm_idx').using('gin', t.nameSearch.op('gin_trgm_ops')),
    // Additions are owned per (agreement, SKU): two accounts on one agreement would retire each other's lines.
    uniqueIndex('account_mappings_one_account_per_agreement_uq').on(t.partnerId, t.agreementId).where(sql`${t.agreementId} is not null`),
  ],
);

/**
 * How many accounts a partner has per (state, Export flag): the mapping list's totals without counting rows.
 * Kept exact by statement-level triggers on `account_mappings` (migration 0005), in the same transaction as
 * every insert, update and delete; nothing in the application writes it.
 */
export const accountMappingCounts = pgTable(
  'account_mapping_counts',
  {
    partnerId: text('partner_id').notNull(),
    state: text('state', { enum: ['unmapped', 'suggested', 'mapped'] }).notNull(),
    exportEnabled: boolean('export_enabled').notNull(),
    accounts: integer('accounts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.state, t.exportEnabled] })],
);

/**
 * A per-partner counter bumped by the same triggers on every statement that writes `account_mappings` (renames
 * included). A reader that remembers a search's total with the revision it was counted at can skip the count
 * while the revision is unchanged, and learns both in the statement that reads the page.
 */
export const accountMappingRevisions = pgTable('account_mapping_revisions', {
  partnerId: text('partner_id').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
});

/**
 * A suggestion the partner rejected: that company is never suggested for that account again (nor competes for
 * it). Accepted pairs need no table of their own: a mapped account is one (what the matcher learns from).
 */
export const suggestionRejections = pgTable(
  'suggestion_rejections',
  {
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    accountId: text('account_id').notNull(),
    companyId: integer('company_id').notNull(),
    accountName: text('account_name').notNull(),
    companyName: text('company_name'),
    rejectedAt: timestamp('rejected_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.accountId, t.companyId] })],
);
