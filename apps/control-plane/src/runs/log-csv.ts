import { createObjectCsvStringifier } from 'csv-writer';
import { neutraliseCell } from '@cwx/domain';
import type { CatalogLogResponseDto, LogEntryResponseDto, LogWarningResponseDto } from './runs.dto';

const HEADER = [
  { id: 'accountId', title: 'Account ID' },
  { id: 'accountName', title: 'Account' },
  { id: 'status', title: 'Status' },
  { id: 'operations', title: 'Operations' },
  { id: 'warnings', title: 'Warnings' },
  { id: 'error', title: 'Error' },
  { id: 'attempts', title: 'Attempts' },
  { id: 'finishedAt', title: 'Finished at' },
];

/** The name of the catalog phase's line, first in the CSV (it has no account id). */
export const CATALOG_LINE = 'Catalog (all accounts)';

/**
 * The export log as CSV: the catalog phase first (when given), then one line per account; operations and
 * warnings summarised, formula cells neutralised.
 */
export async function* logCsv(entries: AsyncIterable<LogEntryResponseDto>, catalog?: CatalogLogResponseDto | null): AsyncGenerator<string> {
  const stringifier = createObjectCsvStringifier({ header: HEADER, alwaysQuote: true });
  yield '\uFEFF' + stringifier.getHeaderString();
  if (catalog) {
    const status = catalog.status === 'failed' ? 'failed' : catalog.operations.length > 0 ? 'changed' : 'unchanged';
    yield stringifier.stringifyRecords([line({ ...catalog, accountId: '', accountName: CATALOG_LINE, status })]);
  }
  let batch: Record<string, string>[] = [];
  for await (const entry of entries) {
    batch.push(line(entry));
    if (batch.length >= 500) {
      yield stringifier.stringifyRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringifier.stringifyRecords(batch);
}

function line(entry: LogEntryResponseDto): Record<string, string> {
  return {
    accountId: neutraliseCell(entry.accountId),
    accountName: neutraliseCell(entry.accountName),
    status: entry.status,
    operations: neutraliseCell(entry.operations.map(describeOperation).join('; ')),
    warnings: neutraliseCell(entry.warnings.map(describeWarning).join('; ')),
    error: neutraliseCell(entry.error ? `${entry.error.code ?? entry.error.kind}: ${entry.error.message}` : ''),
    attempts: String(entry.attempts),
    finishedAt: entry.finishedAt,
  };
}

function describeOperation(op: LogEntryResponseDto['operations'][number]): string {
  const changes = op.changes.map((c) => `${c.field} ${JSON.stringify(c.before ?? null)}→${JSON.stringify(c.after ?? null)}`).join(', ');
  return `${op.action} ${op.entity}${op.sku ? ` ${op.sku}` : ''}${op.id !== undefined ? ` #${op.id}` : ''}${changes ? ` (${changes})` : ''}`;
}

function describeWarning(w: LogWarningResponseDto): string {
  return `${w.code}${w.sku ? ` ${w.sku}` : ''}: ${w.message}`;
}
