import { Injectable } from '@nestjs/common';
import { and, asc, count, eq, inArray, isNotNull, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import {
  accountMappingCounts,
  accountMappingRevisions,
  accountMappings,
  type Database,
  exportedAccounts,
  type ExportedAccount,
  inPartnerTransaction,
  suggestionRejections,
  type Transaction,
} from '@cwx/persistence';
import { STRONG_SCORE } from '@cwx/matching';
import type { PlatformAccountStatus } from '@cwx/domain';
import { InjectDatabase } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';

export type AccountRow = typeof accountMappings.$inferSelect;
export type AccountChanges = Partial<Omit<AccountRow, 'partnerId' | 'accountId' | 'version' | 'updatedAt'>>;

/** The suggestion fields of a row that has none (mapped, unmapped, or a suggestion withdrawn or rejected). */
export const NO_SUGGESTION = {
  suggestedCompanyId: null,
  suggestedCompanyName: null,
  suggestionScore: null,
  suggestionReason: null,
  suggestionTier: null,
  suggestionLearned: null,
  suggestionCandidates: null,
} as const;

/** The total column's value when the remembered search total still holds. */
const SKIPPED = -1;
const SEARCH_TOTALS_KEPT = 1000;

export interface AccountFilter {
  state?: AccountRow['state'];
  exportEnabled?: boolean;
  nameContains?: string;
}

/** What a suggestion pass writes on one row (the suggestion columns and the state they imply). */
export type SuggestionColumns = Pick<
  AccountRow,
  'state' | 'suggestedCompanyId' | 'suggestedCompanyName' | 'suggestionScore' | 'suggestionReason' | 'suggestionTier' | 'suggestionLearned' | 'suggestionCandidates'
>;

/**
 * The partner's `account_mappings` rows: every query is scoped by partner id, and this is the one place that
 * writes them. A write of one row is one statement (compare-and-set on `version`); a write of several rows
 * runs in `inPartnerTransaction`, which locks the partner's rows first (migration 0013 refuses it otherwise).
 */
@Injectable()
export class AccountsRepository {
  private readonly partnersWithRows = new Set<string>();
  /** Search totals with the partner's `account_mapping_revisions` value they were counted at. */
  private readonly searchTotals = new Map<string, { revision: number; total: number }>();
  private readonly pageStatements = new Map<string, ReturnType<AccountsRepository['buildPageStatement']>>();

  constructor(@InjectDatabase() private readonly db: Database) {}

  /**
   * One page and the total in one statement (one round trip): the page's keys come from an index-only scan of
   * (partner, [state,] name, id), so a deep page skips index entries rather than rows, and the total is an
   * uncorrelated sub-select evaluated once. Only a page past the end needs a second round trip, for the total.
   * The statement is built once per filter shape and prepared: building it cost more CPU than running it.
   */
  async page(partnerId: string, filter: AccountFilter, page: number, pageSize: number): Promise<{ rows: AccountRow[]; total: number }> {
    const pattern = filter.nameContains === undefined ? undefined : `%${escapeLike(filter.nameContains)}%`;
    const totalKey = pattern === undefined ? undefined : [partnerId, filter.state ?? '', String(filter.exportEnabled ?? ''), pattern].join('\u0000');
    const known = totalKey === undefined ? undefined : this.searchTotals.get(totalKey);
    const statement = this.pageStatement(filter);
    const params = {
      partnerId,
      state: filter.state,
      exportEnabled: filter.exportEnabled,
      pattern,
      knownRevision: known?.revision ?? -1,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    };
    const found = await statement.execute(params);
    // A page past the end carries no row, so no total: the first row of the same filter does.
    const carrier = found.length > 0 || page === 1 ? found : await statement.execute({ ...params, limit: 1, offset: 0 });
    if (carrier.length === 0) return { rows: [], total: 0 };
    const [{ total, revision }] = carrier;
    const rows = found.map((f) => f.row);
    if (total === SKIPPED) return { rows, total: known!.total };
    if (totalKey !== undefined && revision !== null) this.rememberSearchTotal(totalKey, { revision, total });
    return { rows, total };
  }

  /** Bounded: the oldest entry goes first (a Map iterates in insertion order). */
  private rememberSearchTotal(key: string, value: { revision: number; total: number }): void {
    this.searchTotals.delete(key);
    this.searchTotals.set(key, value);
    if (this.searchTotals.size > SEARCH_TOTALS_KEPT) this.searchTotals.delete(this.searchTotals.keys().next().value!);
  }

  private pageStatement(filter: AccountFilter) {
    const shape = { state: filter.state !== undefined, exportEnabled: filter.exportEnabled !== undefined, search: filter.nameContains !== undefined };
    const name = `accounts_page_${Number(shape.state)}${Number(shape.exportEnabled)}${Number(shape.search)}`;
    let statement = this.pageStatements.get(name);
    if (!statement) {
      statement = this.buildPageStatement(name, shape);
      this.pageStatements.set(name, statement);
    }
    return statement;
  }

  private buildPageStatement(name: string, shape: { state: boolean; exportEnabled: boolean; search: boolean }) {
    const p = (placeholder: string) => sql.placeholder(placeholder);
    const where = and(
      eq(accountMappings.partnerId, p('partnerId')),
      shape.state ? eq(accountMappings.state, p('state')) : undefined,
      shape.exportEnabled ? eq(accountMappings.exportEnabled, p('exportEnabled')) : undefined,
      shape.search ? nameContains(p('pattern')) : undefined,
    );
    const keys = this.db
      .select({ accountId: accountMappings.accountId })
      .from(accountMappings)
      .where(where)
      .orderBy(asc(accountMappings.accountName), asc(accountMappings.accountId))
      .limit(p('limit'))
      .offset(p('offset'))
      .as('page_keys');
    // A search's total: counted, unless the partner's revision still equals the one the remembered total
    // was counted at (then -1, and the count sub-select is never run: PostgreSQL evaluates it lazily).
    const revision = this.db.select({ revision: accountMappingRevisions.revision }).from(accountMappingRevisions).where(eq(accountMappingRevisions.partnerId, p('partnerId')));
    const total = shape.search
      ? sql`case when (${revision}) = ${p('knownRevision')}::bigint then ${sql.raw(String(SKIPPED))} else (${this.db.select({ total: count() }).from(accountMappings).where(where)}) end`
      : sql`(${this.db
          .select({ total: sql`coalesce(sum(${accountMappingCounts.accounts}), 0)` })
          .from(accountMappingCounts)
          .where(
            and(
              eq(accountMappingCounts.partnerId, p('partnerId')),
              shape.state ? eq(accountMappingCounts.state, p('state')) : undefined,
              shape.exportEnabled ? eq(accountMappingCounts.exportEnabled, p('exportEnabled')) : undefined,
            ),
          )})`;
    return this.db
      .select({
        row: accountMappings,
        total: sql<number>`${total}`.mapWith(Number),
        revision: (shape.search ? sql<number | null>`(${revision})` : sql<number | null>`null`).mapWith(Number),
      })
      .from(keys)
      .innerJoin(accountMappings, and(eq(accountMappings.partnerId, p('partnerId')), eq(accountMappings.accountId, keys.accountId)))
      .orderBy(asc(accountMappings.accountName), asc(accountMappings.accountId))
      .prepare(name);
  }

  /**
   * The partner's exported accounts (mapped, export on, with an agreement; @cwx/persistence exportedAccounts); with
   * `approvedChangesOnly`, those with approved review changes. `tx` reads them in the caller's transaction.
   */
  exported(partnerId: string, options: { approvedChangesOnly?: boolean } = {}, tx: Database | Transaction = this.db): Promise<ExportedAccount[]> {
    return exportedAccounts(tx, partnerId, options);
  }

  /** The partner's suggested mappings waiting for confirmation, by account name (the `suggestions.pending` alert). */
  suggestedForAlert(tx: Transaction, partnerId: string) {
    return tx
      .select({
        accountId: accountMappings.accountId,
        accountName: accountMappings.accountName,
        companyId: accountMappings.suggestedCompanyId,
        companyName: accountMappings.suggestedCompanyName,
        score: accountMappings.suggestionScore,
        tier: accountMappings.suggestionTier,
      })
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.state, 'suggested')))
      .orderBy(asc(accountMappings.accountName), asc(accountMappings.accountId));
  }

  /** The partner's unmapped accounts left ambiguous (several companies share the name). */
  ambiguous(tx: Transaction, partnerId: string): Promise<{ accountId: string }[]> {
    return tx
      .select({ accountId: accountMappings.accountId })
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.state, 'unmapped'), isNotNull(accountMappings.suggestionCandidates)));
  }

  /** The partner's unmapped accounts, by name (the `accounts.unmapped` alert). */
  unmappedForAlert(tx: Transaction, partnerId: string): Promise<{ accountId: string; accountName: string }[]> {
    return tx
      .select({ accountId: accountMappings.accountId, accountName: accountMappings.accountName })
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.state, 'unmapped')))
      .orderBy(asc(accountMappings.accountName), asc(accountMappings.accountId));
  }

  async find(partnerId: string, accountId: string): Promise<AccountRow | undefined> {
    const [row] = await this.db
      .select()
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, accountId)));
    return row;
  }

  /** The account (other than `exceptAccountId`) already mapped to this agreement, if any. */
  async mappedToAgreement(partnerId: string, agreementId: number, exceptAccountId: string): Promise<AccountRow | undefined> {
    const rows = await this.db
      .select()
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.agreementId, agreementId)));
    return rows.find((r) => r.accountId !== exceptAccountId);
  }

  async all(partnerId: string, filter: AccountFilter = {}): Promise<AccountRow[]> {
    return this.db.select().from(accountMappings).where(this.where(partnerId, filter));
  }

  /** Compare-and-set on `version`; undefined when the row moved on (or does not exist). */
  async update(partnerId: string, accountId: string, expectedVersion: number, changes: AccountChanges): Promise<AccountRow | undefined> {
    try {
      return await this.updateRow(partnerId, accountId, expectedVersion, changes);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError(AppErrorCode.Conflict, `Agreement ${String(changes.agreementId)} is already mapped to another account; each agreement takes one account.`);
      }
      throw error;
    }
  }

  private async updateRow(partnerId: string, accountId: string, expectedVersion: number, changes: AccountChanges): Promise<AccountRow | undefined> {
    const [row] = await this.db
      .update(accountMappings)
      .set({ ...changes, version: sql`${accountMappings.version} + 1`, updatedAt: new Date() })
      .where(
        and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, accountId), eq(accountMappings.version, expectedVersion)),
      )
      .returning();
    return row;
  }

  /** The companies the partner rejected, per account. */
  async rejections(partnerId: string): Promise<Map<string, Set<number>>> {
    const rows = await this.db
      .select({ accountId: suggestionRejections.accountId, companyId: suggestionRejections.companyId })
      .from(suggestionRejections)
      .where(eq(suggestionRejections.partnerId, partnerId));
    const out = new Map<string, Set<number>>();
    for (const r of rows) out.set(r.accountId, (out.get(r.accountId) ?? new Set()).add(r.companyId));
    return out;
  }

  /**
   * Records the offered companies as rejected for the account and clears its suggestion, in one transaction
   * (compare-and-set on the version read); undefined when the row moved on.
   */
  async rejectSuggestion(row: AccountRow, offered: { companyId: number; companyName: string | null }[]): Promise<AccountRow | undefined> {
    return inPartnerTransaction(this.db, row.partnerId, async ({ tx }) => {
      const [updated] = await tx
        .update(accountMappings)
        .set({ state: row.state === 'mapped' ? 'mapped' : 'unmapped', ...NO_SUGGESTION, version: sql`${accountMappings.version} + 1`, updatedAt: new Date() })
        .where(and(eq(accountMappings.partnerId, row.partnerId), eq(accountMappings.accountId, row.accountId), eq(accountMappings.version, row.version)))
        .returning();
      if (!updated) return undefined;
      await tx
        .insert(suggestionRejections)
        .values(offered.map((o) => ({ partnerId: row.partnerId, accountId: row.accountId, companyId: o.companyId, accountName: row.accountName, companyName: o.companyName })))
        .onConflictDoNothing();
      return updated;
    });
  }

  /** Adds new accounts and follows renames; mapping, flags and suggestions of existing rows are kept. */
  async upsertFromPlatform(
    partnerId: string,
    accounts: { id: string; name: string; status: PlatformAccountStatus }[],
  ): Promise<{ added: number; renamed: number }> {
    if (accounts.length === 0) return { added: 0, renamed: 0 };
    const existing = new Map(
      (
        await this.db
          .select({ accountId: accountMappings.accountId, accountName: accountMappings.accountName, platformStatus: accountMappings.platformStatus })
          .from(accountMappings)
          .where(and(eq(accountMappings.partnerId, partnerId), inArray(accountMappings.accountId, accounts.map((a) => a.id))))
      ).map((r) => [r.accountId, r]),
    );
    const fresh = accounts.filter((a) => !existing.has(a.id));
    const renamed = accounts.filter((a) => existing.has(a.id) && existing.get(a.id)!.accountName !== a.name);
    // A status change (suspended, cancelled, active again) is recorded like a rename: the export bills by it.
    const changed = accounts.filter((a) => existing.has(a.id) && (existing.get(a.id)!.accountName !== a.name || existing.get(a.id)!.platformStatus !== a.status));
    await inPartnerTransaction(this.db, partnerId, async ({ tx }) => {
      if (fresh.length > 0) {
        await tx
          .insert(accountMappings)
          .values(fresh.map((a) => ({ partnerId, accountId: a.id, accountName: a.name, platformStatus: a.status })))
          .onConflictDoNothing();
      }
      for (const a of changed) {
        await tx
          .update(accountMappings)
          .set({ accountName: a.name, platformStatus: a.status, version: sql`${accountMappings.version} + 1`, updatedAt: new Date() })
          .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, a.id)));
      }
    });
    return { added: fresh.length, renamed: renamed.length };
  }

  /**
   * Writes a suggestion pass: each row's suggestion columns, unless the row moved on since it was read
   * (`version`) or the partner decided it by hand meanwhile; then `also` in the same transaction.
   */
  async writeSuggestions(
    partnerId: string,
    updates: readonly { accountId: string; version: number; columns: SuggestionColumns }[],
    also: (tx: Transaction) => Promise<void>,
  ): Promise<void> {
    await inPartnerTransaction(this.db, partnerId, async ({ tx }) => {
      for (const u of updates) {
        await tx
          .update(accountMappings)
          .set({ ...u.columns, version: sql`${accountMappings.version} + 1`, updatedAt: new Date() })
          .where(
            and(
              eq(accountMappings.partnerId, partnerId),
              eq(accountMappings.accountId, u.accountId),
              eq(accountMappings.version, u.version),
              isNull(accountMappings.manualChoiceAt),
            ),
          );
      }
      await also(tx);
    });
  }

  /**
   * Whether the partner has any account row yet. Rows are never deleted, so a yes is remembered: after the
   * first visit this costs no query.
   */
  async anyFor(partnerId: string): Promise<boolean> {
    if (this.partnersWithRows.has(partnerId)) return true;
    const rows = await this.db.select({ id: accountMappings.accountId }).from(accountMappings).where(eq(accountMappings.partnerId, partnerId)).limit(1);
    if (rows.length > 0) this.partnersWithRows.add(partnerId);
    return rows.length > 0;
  }

  private where(partnerId: string, filter: AccountFilter): SQL | undefined {
    const parts: SQL[] = [eq(accountMappings.partnerId, partnerId)];
    if (filter.state) parts.push(eq(accountMappings.state, filter.state));
    if (filter.exportEnabled !== undefined) parts.push(eq(accountMappings.exportEnabled, filter.exportEnabled));
    if (filter.nameContains) parts.push(nameContains(`%${escapeLike(filter.nameContains)}%`));
    return and(...parts);
  }
}

function isUniqueViolation(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return (error as { code?: unknown }).code === '23505' || cause?.code === '23505';
}

/** `name_search` is the lowercased name: the pattern is lowercased by the same function, on the server. */
function nameContains(pattern: SQLWrapper | string): SQL {
  return sql`${accountMappings.nameSearch} like lower(${pattern})`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function toAccountResponse(row: AccountRow) {
  return {
    accountId: row.accountId,
    accountName: row.accountName,
    state: row.state,
    company: row.companyId !== null ? { id: row.companyId, name: row.companyName } : null,
    agreement: row.agreementId !== null ? { id: row.agreementId, name: row.agreementName } : null,
    exportEnabled: row.exportEnabled,
    suggestion:
      row.state === 'suggested' && row.suggestedCompanyId !== null
        ? {
            companyId: row.suggestedCompanyId,
            companyName: row.suggestedCompanyName,
            score: row.suggestionScore ?? 0,
            // Rows suggested before tiers existed: the tier their confidence gives.
            tier: row.suggestionTier ?? ((row.suggestionScore ?? 0) >= STRONG_SCORE ? 'strong' : 'possible'),
            reason: row.suggestionReason ?? '',
            learned: row.suggestionLearned ?? [],
          }
        : null,
    ambiguity:
      row.state === 'unmapped' && row.suggestionCandidates !== null && row.suggestionCandidates.length > 0
        ? { reason: row.suggestionReason ?? '', candidates: row.suggestionCandidates }
        : null,
    version: row.version,
  };
}
