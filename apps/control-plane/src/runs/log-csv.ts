import { createObjectCsvStringifier } from 'csv-writer';
import { neutraliseCell } from '@cwx/domain';
import type { LogEntryResponseDto } from './runs.dto';

const HEADER = [
  { id: 'accountId', title: 'Account ID' },
  { id: 'accountName', title: 'Account' },
  { id: 'status', title: 'Status' },
  { id: 'operations', title: 'Operations' },
  { id: 'error', title: 'Error' },
  { id: 'attempts', title: 'Attempts' },
  { id: 'finishedAt', title: 'Finished at' },
];

/** The export log as CSV: one line per account, operations summarised, formula cells neutralised. */
export async function* logCsv(entries: AsyncIterable<LogEntryResponseDto>): AsyncGenerator<string> {
  const stringifier = createObjectCsvStringifier({ header: HEADER, alwaysQuote: true });
  yield '\uFEFF' + stringifier.getHeaderString();
  let batch: Record<string, string>[] = [];
  for await (const entry of entries) {
    batch.push({
      accountId: neutraliseCell(entry.accountId),
      accountName: neutraliseCell(entry.accountName),
      status: entry.status,
      operations: neutraliseCell(entry.operations.map(describeOperation).join('; ')),
      error: neutraliseCell(entry.error ? `${entry.error.code ?? entry.error.kind}: ${entry.error.message}` : ''),
      attempts: String(entry.attempts),
      finishedAt: entry.finishedAt,
    });
    if (batch.length >= 500) {
      yield stringifier.stringifyRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringifier.stringifyRecords(batch);
}

function describeOperation(op: LogEntryResponseDto['operations'][number]): string {
  const changes = op.changes.map((c) => `${c.field} ${JSON.stringify(c.before ?? null)}→${JSON.stringify(c.after ?? null)}`).join(', ');
  return `${op.action} ${op.entity}${op.sku ? ` ${op.sku}` : ''}${op.id !== undefined ? ` #${op.id}` : ''}${changes ? ` (${changes})` : ''}`;
}
