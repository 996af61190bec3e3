import { Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, type SQL } from 'drizzle-orm';
import { catalogLog, exportLog, runs, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type RunRow = typeof runs.$inferSelect;
export type ExportLogRow = typeof exportLog.$inferSelect;
export type CatalogLogRow = typeof catalogLog.$inferSelect;
export type LogStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';

/** A partner's runs and their logs, as read by the panel. Every query takes the partner id. */
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
