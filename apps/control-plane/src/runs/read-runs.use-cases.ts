import { Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, type SQL } from 'drizzle-orm';
import { exportLog, runs, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { AppError } from '../http/app-error';
import { toRunResponse } from './run-response';
import type { LogEntryResponseDto, LogPageResponseDto, RunPageResponseDto, RunResponseDto } from './runs.dto';

type LogStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';

/** Runs and their per-account log, as the management page reads them. Every query is partner-scoped. */
@Injectable()
export class ReadRuns {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async list(partnerId: string, page = 1, pageSize = 50): Promise<RunPageResponseDto> {
    const where = eq(runs.partnerId, partnerId);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(runs).where(where).orderBy(desc(runs.createdAt), desc(runs.id)).limit(pageSize).offset((page - 1) * pageSize),
      this.db.select({ total: count() }).from(runs).where(where),
    ]);
    return { items: rows.map(toRunResponse), page, pageSize, total };
  }

  async get(partnerId: string, runId: string): Promise<RunResponseDto> {
    return toRunResponse(await this.find(partnerId, runId));
  }

  async log(partnerId: string, runId: string, options: { status?: LogStatus; page?: number; pageSize?: number }): Promise<LogPageResponseDto> {
    await this.find(partnerId, runId);
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? 50;
    const where = this.logWhere(partnerId, runId, options.status);
    const [rows, [{ total }]] = await Promise.all([
      this.db.select().from(exportLog).where(where).orderBy(asc(exportLog.accountName), asc(exportLog.accountId)).limit(pageSize).offset((page - 1) * pageSize),
      this.db.select({ total: count() }).from(exportLog).where(where),
    ]);
    return { items: rows.map(toLogEntry), page, pageSize, total };
  }

  /** The whole log of a run, in pages of 1,000, for the CSV download. */
  async *logRows(partnerId: string, runId: string, status?: LogStatus): AsyncGenerator<LogEntryResponseDto> {
    await this.find(partnerId, runId);
    const where = this.logWhere(partnerId, runId, status);
    for (let offset = 0; ; offset += 1000) {
      const rows = await this.db.select().from(exportLog).where(where).orderBy(asc(exportLog.accountName), asc(exportLog.accountId)).limit(1000).offset(offset);
      for (const row of rows) yield toLogEntry(row);
      if (rows.length < 1000) return;
    }
  }

  private async find(partnerId: string, runId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(runId)) throw AppError.notFound(`Run ${runId}`);
    const [run] = await this.db.select().from(runs).where(and(eq(runs.partnerId, partnerId), eq(runs.id, runId)));
    if (!run) throw AppError.notFound(`Run ${runId}`);
    return run;
  }

  private logWhere(partnerId: string, runId: string, status?: LogStatus): SQL | undefined {
    const parts = [eq(exportLog.partnerId, partnerId), eq(exportLog.runId, runId)];
    if (status) parts.push(eq(exportLog.status, status));
    return and(...parts);
  }
}

function toLogEntry(row: typeof exportLog.$inferSelect): LogEntryResponseDto {
  return {
    accountId: row.accountId,
    accountName: row.accountName,
    status: row.status,
    operations: row.operations as LogEntryResponseDto['operations'],
    error: (row.error as LogEntryResponseDto['error']) ?? null,
    attempts: row.attempts,
    finishedAt: row.finishedAt.toISOString(),
  };
}
