import { Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import { catalogLog, exportLog, runs, type Database, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type RunRow = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type ExportLogRow = typeof exportLog.$inferSelect;
export type CatalogLogRow = typeof catalogLog.$inferSelect;
export type LogStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';

/**
 * A partner's runs and their logs, as read by the panel, and as a run is started (every query takes the partner id).
 * The writes take the caller's transaction.
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
