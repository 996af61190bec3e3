import { Injectable } from '@nestjs/common';
import { AppError } from '../http/app-error';
import { toRunResponse } from './run-response';
import { RunsRepository, type CatalogLogRow, type ExportLogRow, type LogStatus } from './runs.repository';
import type { CatalogLogResponseDto, LogEntryResponseDto, LogPageResponseDto, RunPageResponseDto, RunResponseDto } from './runs.dto';

/** Runs and their per-account log, as the management page reads them. Every query is partner-scoped. */
@Injectable()
export class ReadRuns {
  constructor(private readonly runs: RunsRepository) {}

  async list(partnerId: string, page = 1, pageSize = 50): Promise<RunPageResponseDto> {
    const { rows, total } = await this.runs.page(partnerId, page, pageSize);
    return { items: rows.map(toRunResponse), page, pageSize, total };
  }

  async get(partnerId: string, runId: string): Promise<RunResponseDto> {
    return toRunResponse(await this.find(partnerId, runId));
  }

  async log(partnerId: string, runId: string, options: { status?: LogStatus; page?: number; pageSize?: number }): Promise<LogPageResponseDto> {
    await this.find(partnerId, runId);
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? 50;
    const [{ rows, total }, catalog] = await Promise.all([
      this.runs.logPage(partnerId, runId, options.status, (page - 1) * pageSize, pageSize),
      this.catalogOf(partnerId, runId),
    ]);
    return { catalog, items: rows.map(toLogEntry), page, pageSize, total };
  }

  /** The log of the run's catalog phase, or null before it is done. */
  async catalogLog(partnerId: string, runId: string): Promise<CatalogLogResponseDto | null> {
    await this.find(partnerId, runId);
    return this.catalogOf(partnerId, runId);
  }

  private async catalogOf(partnerId: string, runId: string): Promise<CatalogLogResponseDto | null> {
    const row = await this.runs.catalogLog(partnerId, runId);
    return row ? loggedResult(row) : null;
  }

  /** The whole log of a run, in pages of 1,000, for the CSV download. */
  async *logRows(partnerId: string, runId: string, status?: LogStatus): AsyncGenerator<LogEntryResponseDto> {
    await this.find(partnerId, runId);
    for (let offset = 0; ; offset += 1000) {
      const rows = await this.runs.logBatch(partnerId, runId, status, offset, 1000);
      for (const row of rows) yield toLogEntry(row);
      if (rows.length < 1000) return;
    }
  }

  private async find(partnerId: string, runId: string) {
    if (!/^[0-9a-f-]{36}$/i.test(runId)) throw AppError.notFound(`Run ${runId}`);
    const run = await this.runs.find(partnerId, runId);
    if (!run) throw AppError.notFound(`Run ${runId}`);
    return run;
  }
}

function toLogEntry(row: ExportLogRow): LogEntryResponseDto {
  return { accountId: row.accountId, accountName: row.accountName, ...loggedResult(row) };
}

/** What an account's log row and the catalog phase's have in common. */
function loggedResult(row: ExportLogRow | CatalogLogRow): CatalogLogResponseDto {
  return {
    status: row.status,
    operations: row.operations as CatalogLogResponseDto['operations'],
    warnings: row.warnings as CatalogLogResponseDto['warnings'],
    error: (row.error as CatalogLogResponseDto['error']) ?? null,
    attempts: row.attempts,
    finishedAt: row.finishedAt.toISOString(),
  };
}
