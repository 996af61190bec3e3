import { Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { catalogLog, exportLog, runs, type Database, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type RunRow = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type ExportLogRow = typeof exportLog.$inferSelect;
export type CatalogLogRow = typeof catalogLog.$inferSelect;
export type NewExportLog = typeof exportLog.$inferInsert;
export type NewCatalogLog = typeof catalogLog.$inferInsert;
export type LogStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';

/** The statuses a run ends in. */
export const TERMINAL_RUN_STATUSES = ['succeeded', 'partially_failed', 'failed', 'nothing_to_export'] as const;

/**
 * A partner's runs and their logs, as read by the panel, as a run is started, as its results are recorded, and as
 * the notifications its end causes are decided and written. The panel's queries take the partner id; the writes, the reads that
 * lock, and the notification triggers' reads take the caller's transaction.
 */
@Injectable()
export class RunsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** A page of the partner's runs, newest first, with the total. */
  async page(partnerId: string, page: number, pageSize: number): Promise<{ rows: RunRow[]; total: number }> {
    const where = eq(runs.partnerId, partnerId);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(runs).where(where).orderBy(desc(runs.createdAt), desc(runs.id)).limit(pageSize).offset((page - 1) * pageSize),
      this.db.select({ total: count() }).from(runs).where(where),
    ]);
    return { rows, total };
  }

  async find(partnerId: string, runId: string): Promise<RunRow | undefined> {
    const [run] = await this.db.select().from(runs).where(and(eq(runs.partnerId, partnerId), eq(runs.id, runId)));
    return run;
  }

  /** The partner's most recent run. */
  async latest(partnerId: string): Promise<RunRow | undefined> {
    const [run] = await this.db.select().from(runs).where(eq(runs.partnerId, partnerId)).orderBy(desc(runs.createdAt)).limit(1);
    return run;
  }

  /** The partner's queued or running run, if any. */
  async active(partnerId: string): Promise<{ id: string } | undefined> {
    const [active] = await this.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.partnerId, partnerId), inArray(runs.status, ['queued', 'running'])));
    return active;
  }

  /** Whether a run is queued or running, or (with `scheduledForDate`) that date's run exists: a new run would be refused. */
  async startBlocked(partnerId: string, scheduledForDate: string | undefined): Promise<boolean> {
    const sameDay = scheduledForDate === undefined ? undefined : eq(runs.scheduledForDate, scheduledForDate);
    const [existing] = await this.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.partnerId, partnerId), or(inArray(runs.status, ['queued', 'running']), sameDay)))
      .limit(1);
    return existing !== undefined;
  }

  /** Inserts a run in the caller's transaction; undefined when a unique key said no (one already active, or that date's ran). */
  async insert(tx: Transaction, run: NewRun): Promise<RunRow | undefined> {
    const [inserted] = await tx.insert(runs).values(run).onConflictDoNothing().returning();
    return inserted;
  }

  /** Locks the partner's run (`FOR UPDATE`) before its catalog result is recorded. */
  async lockForCatalogResult(tx: Transaction, runId: string, partnerId: string): Promise<RunRow | undefined> {
    const [run] = await tx
      .select()
      .from(runs)
      .where(and(eq(runs.id, runId), eq(runs.partnerId, partnerId)))
      .for('update');
    return run;
  }

  /** Locks the run (`FOR UPDATE`) before an account's result is logged; false when there is no such run. */
  async lockForAccountResult(tx: Transaction, runId: string): Promise<boolean> {
    const [run] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.id, runId)).for('update');
    return run !== undefined;
  }

  /** Locks the run (`FOR UPDATE`) and reads it, to close it when complete. */
  async lockToClose(tx: Transaction, runId: string): Promise<RunRow | undefined> {
    const [run] = await tx.select().from(runs).where(eq(runs.id, runId)).for('update');
    return run;
  }

  /** Sets columns of the run, in the caller's transaction. */
  async set(tx: Transaction, runId: string, values: Partial<NewRun>): Promise<void> {
    await tx.update(runs).set(values).where(eq(runs.id, runId));
  }

  /** Counts one account's result into the run (done, and changed, unchanged or failed), in the caller's transaction. */
  async countResult(tx: Transaction, runId: string, status: LogStatus): Promise<void> {
    await tx
      .update(runs)
      .set({
        doneAccounts: sql`${runs.doneAccounts} + 1`,
        ...(status === 'changed' ? { changedAccounts: sql`${runs.changedAccounts} + 1` } : {}),
        ...(status === 'unchanged' ? { unchangedAccounts: sql`${runs.unchangedAccounts} + 1` } : {}),
        ...(status === 'failed' ? { failedAccounts: sql`${runs.failedAccounts} + 1` } : {}),
      })
      .where(eq(runs.id, runId));
  }

  /** Fails the run with `reason` if it is still queued or running; the runs it stopped (none or one). */
  failIfActive(tx: Transaction, runId: string, reason: string): Promise<Pick<RunRow, 'id' | 'trigger' | 'createdAt'>[]> {
    return tx
      .update(runs)
      .set({ status: 'failed', reason, finishedAt: new Date() })
      .where(and(eq(runs.id, runId), sql`${runs.status} in ('queued', 'running')`))
      .returning({ id: runs.id, trigger: runs.trigger, createdAt: runs.createdAt });
  }

  /** Writes the log of the run's catalog phase once (a second write is a no-op), in the caller's transaction. */
  async insertCatalogLog(tx: Transaction, row: NewCatalogLog): Promise<void> {
    await tx.insert(catalogLog).values(row).onConflictDoNothing();
  }

  /** Writes an account's log row once, in the caller's transaction; false when it was already written (a redelivered result). */
  async insertLog(tx: Transaction, row: NewExportLog): Promise<boolean> {
    const inserted = await tx.insert(exportLog).values(row).onConflictDoNothing().returning({ accountId: exportLog.accountId });
    return inserted.length > 0;
  }

  /** The status of every account logged for the run, in the caller's transaction. */
  logStatuses(tx: Transaction, runId: string): Promise<{ status: LogStatus }[]> {
    return tx.select({ status: exportLog.status }).from(exportLog).where(eq(exportLog.runId, runId));
  }

  /** The run, read in the caller's transaction. */
  async byId(tx: Transaction, runId: string): Promise<RunRow | undefined> {
    const [run] = await tx.select().from(runs).where(eq(runs.id, runId));
    return run;
  }

  /** Whether a run has something to read besides changed accounts: catalog writes, or a warning. */
  async hasNews(tx: Transaction, run: { id: string; partnerId: string }): Promise<boolean> {
    const [catalog] = await tx
      .select({ id: catalogLog.runId })
      .from(catalogLog)
      .where(and(eq(catalogLog.runId, run.id), eq(catalogLog.partnerId, run.partnerId), sql`(jsonb_array_length(${catalogLog.operations}) > 0 or jsonb_array_length(${catalogLog.warnings}) > 0)`));
    if (catalog) return true;
    const [warned] = await tx
      .select({ id: exportLog.accountId })
      .from(exportLog)
      .where(and(eq(exportLog.runId, run.id), eq(exportLog.partnerId, run.partnerId), sql`jsonb_array_length(${exportLog.warnings}) > 0`))
      .limit(1);
    return warned !== undefined;
  }

  /** The accounts that failed in the run. */
  failedAccounts(tx: Transaction, run: { id: string; partnerId: string }): Promise<{ accountId: string }[]> {
    return tx
      .select({ accountId: exportLog.accountId })
      .from(exportLog)
      .where(and(eq(exportLog.runId, run.id), eq(exportLog.partnerId, run.partnerId), eq(exportLog.status, 'failed')));
  }

  /**
   * The latest `depth` results of each of these accounts in the partner's runs created up to `upTo`, newest first
   * (`rn` 1 is the newest).
   */
  recentResults(tx: Transaction, partnerId: string, accountIds: string[], upTo: Date, depth: number) {
    const ranked = tx
      .select({
        accountId: exportLog.accountId,
        accountName: exportLog.accountName,
        status: exportLog.status,
        error: exportLog.error,
        rn: sql<number>`row_number() over (partition by ${exportLog.accountId} order by ${runs.createdAt} desc, ${runs.id} desc)`.as('rn'),
      })
      .from(exportLog)
      .innerJoin(runs, eq(runs.id, exportLog.runId))
      .where(and(eq(exportLog.partnerId, partnerId), eq(runs.partnerId, partnerId), inArray(exportLog.accountId, accountIds), lte(runs.createdAt, upTo)))
      .as('ranked');
    return tx.select().from(ranked).where(lte(ranked.rn, depth));
  }

  /** The partner's runs that finished in [from, to): their status and counts. */
  finishedBetween(tx: Transaction, partnerId: string, from: Date, to: Date): Promise<{ status: RunRow['status']; changed: number; failed: number }[]> {
    return tx
      .select({ status: runs.status, changed: runs.changedAccounts, failed: runs.failedAccounts })
      .from(runs)
      .where(and(eq(runs.partnerId, partnerId), gte(runs.finishedAt, from), lt(runs.finishedAt, to)));
  }

  /**
   * What a run's report lists from its log: the first `limit` failed accounts by name and how many failed, and the
   * changed accounts with their operations.
   */
  async reportLog(partnerId: string, runId: string, limit: number) {
    const logScope = (status: 'failed' | 'changed') => and(eq(exportLog.runId, runId), eq(exportLog.partnerId, partnerId), eq(exportLog.status, status));
    const [failed, [{ failedTotal }], changed] = await Promise.all([
      this.db
        .select({ accountId: exportLog.accountId, accountName: exportLog.accountName, error: exportLog.error })
        .from(exportLog)
        .where(logScope('failed'))
        .orderBy(asc(exportLog.accountName), asc(exportLog.accountId))
        .limit(limit),
      this.db.select({ failedTotal: count() }).from(exportLog).where(logScope('failed')),
      this.db.select({ accountId: exportLog.accountId, accountName: exportLog.accountName, operations: exportLog.operations }).from(exportLog).where(logScope('changed')),
    ]);
    return { failed, failedTotal, changed };
  }

  /**
   * A run's warnings as its report lists them: the catalog phase's log, the first `limit` accounts with warnings by
   * name, and how many warnings the accounts have in all.
   */
  async reportWarnings(partnerId: string, runId: string, limit: number) {
    const withWarnings = and(eq(exportLog.runId, runId), eq(exportLog.partnerId, partnerId), sql`jsonb_array_length(${exportLog.warnings}) > 0`);
    const [[catalogRow], accounts, [{ total }]] = await Promise.all([
      this.db.select().from(catalogLog).where(and(eq(catalogLog.runId, runId), eq(catalogLog.partnerId, partnerId))),
      this.db
        .select({ accountId: exportLog.accountId, accountName: exportLog.accountName, warnings: exportLog.warnings })
        .from(exportLog)
        .where(withWarnings)
        .orderBy(asc(exportLog.accountName), asc(exportLog.accountId))
        .limit(limit),
      this.db.select({ total: sql<number>`coalesce(sum(jsonb_array_length(${exportLog.warnings})), 0)::int` }).from(exportLog).where(withWarnings),
    ]);
    return { catalogRow: catalogRow as CatalogLogRow | undefined, accounts, total };
  }

  /** The partner's runs that ended in [from, to), by end time (a digest). */
  digestRuns(partnerId: string, from: Date, to: Date): Promise<RunRow[]> {
    return this.db
      .select()
      .from(runs)
      .where(and(eq(runs.partnerId, partnerId), inArray(runs.status, [...TERMINAL_RUN_STATUSES]), gte(runs.finishedAt, from), lt(runs.finishedAt, to)))
      .orderBy(asc(runs.finishedAt));
  }

  /** The first `limit` failed accounts of these runs by name, and how many failed in all (a digest). */
  async digestFailures(partnerId: string, runIds: string[], limit: number) {
    const scope = and(eq(exportLog.partnerId, partnerId), inArray(exportLog.runId, runIds), eq(exportLog.status, 'failed'));
    const [failed, failedTotal] = await Promise.all([
      this.db
        .select({ runId: exportLog.runId, accountId: exportLog.accountId, accountName: exportLog.accountName, error: exportLog.error })
        .from(exportLog)
        .where(scope)
        .orderBy(asc(exportLog.accountName), asc(exportLog.runId))
        .limit(limit),
      this.db.select({ n: count() }).from(exportLog).where(scope).then(([r]) => r.n),
    ]);
    return { failed, failedTotal };
  }

  /** A page of a run's per-account log, by account name, with the total. */
  async logPage(partnerId: string, runId: string, status: LogStatus | undefined, offset: number, limit: number): Promise<{ rows: ExportLogRow[]; total: number }> {
    const where = logWhere(partnerId, runId, status);
    const [rows, [{ total }]] = await Promise.all([
      this.logRows(where, offset, limit),
      this.db.select({ total: count() }).from(exportLog).where(where),
    ]);
    return { rows, total };
  }

  /** Part of a run's per-account log, by account name, without the total (the CSV download reads it in batches). */
  logBatch(partnerId: string, runId: string, status: LogStatus | undefined, offset: number, limit: number): Promise<ExportLogRow[]> {
    return this.logRows(logWhere(partnerId, runId, status), offset, limit);
  }

  /** The log of the run's catalog phase; undefined before it is done. */
  async catalogLog(partnerId: string, runId: string): Promise<CatalogLogRow | undefined> {
    const [row] = await this.db.select().from(catalogLog).where(and(eq(catalogLog.partnerId, partnerId), eq(catalogLog.runId, runId)));
    return row;
  }

  private logRows(where: SQL | undefined, offset: number, limit: number): Promise<ExportLogRow[]> {
    return this.db.select().from(exportLog).where(where).orderBy(asc(exportLog.accountName), asc(exportLog.accountId)).limit(limit).offset(offset);
  }
}

function logWhere(partnerId: string, runId: string, status?: LogStatus): SQL | undefined {
  const parts = [eq(exportLog.partnerId, partnerId), eq(exportLog.runId, runId)];
  if (status) parts.push(eq(exportLog.status, status));
  return and(...parts);
}
