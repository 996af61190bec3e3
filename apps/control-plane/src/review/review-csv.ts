import { createObjectCsvStringifier } from 'csv-writer';
import { neutraliseCell } from '@cwx/domain';
import type { ReconciliationResponseDto } from './review.dto';
import type { AuditRow } from './review.use-cases';

const HEADER = [
  { id: 'at', title: 'When' },
  { id: 'actor', title: 'Who' },
  { id: 'action', title: 'Decision' },
  { id: 'accountId', title: 'Account ID' },
  { id: 'accountName', title: 'Account' },
  { id: 'sku', title: 'SKU' },
  { id: 'classes', title: 'Classes' },
  { id: 'before', title: 'Before' },
  { id: 'after', title: 'After' },
  { id: 'monthlyAmount', title: 'Monthly amount' },
  { id: 'adjusted', title: 'Adjusted' },
  { id: 'changeId', title: 'Change ID' },
];

/** The review decisions as CSV, newest first: who decided what, when; formula cells neutralised. */
export async function* auditCsv(rows: AsyncIterable<AuditRow>): AsyncGenerator<string> {
  const stringifier = createObjectCsvStringifier({ header: HEADER, alwaysQuote: true });
  yield '\uFEFF' + stringifier.getHeaderString();
  let batch: Record<string, string>[] = [];
  for await (const row of rows) {
    const d = row.detail;
    const text = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
    const adjusted = [d.quantity === undefined ? '' : `quantity ${text(d.quantity)}`, d.effectiveDate === undefined ? '' : `effective ${text(d.effectiveDate)}`].filter(Boolean).join('; ');
    const line: Record<string, string> = {
      at: row.at,
      actor: row.actor,
      action: row.action,
      accountId: text(d.accountId),
      accountName: text(d.accountName),
      sku: text(d.sku),
      classes: Array.isArray(d.classes) ? d.classes.join(' ') : '',
      before: text(d.before),
      after: text(d.after),
      monthlyAmount: text(d.monthlyAmount),
      adjusted,
      changeId: String(row.changeId),
    };
    batch.push(Object.fromEntries(Object.entries(line).map(([k, v]) => [k, neutraliseCell(v)])));
    if (batch.length >= 500) {
      yield stringifier.stringifyRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield stringifier.stringifyRecords(batch);
}

const RECONCILIATION_HEADER = [
  { id: 'accountId', title: 'Account ID' },
  { id: 'accountName', title: 'Account' },
  { id: 'agreementId', title: 'Agreement' },
  { id: 'sku', title: 'SKU' },
  { id: 'platformQuantity', title: 'Platform quantity' },
  { id: 'platformPrice', title: 'Platform price' },
  { id: 'connectwiseQuantity', title: 'ConnectWise quantity' },
  { id: 'connectwisePrice', title: 'ConnectWise price' },
  { id: 'quantityDifference', title: 'Quantity difference' },
  { id: 'monthlyDifference', title: 'Monthly difference' },
  { id: 'differs', title: 'Differs' },
];

/** The reconciliation view as CSV, in the view's order (accounts that differ first); formula cells neutralised. */
export function reconciliationCsv(view: ReconciliationResponseDto): string {
  const stringifier = createObjectCsvStringifier({ header: RECONCILIATION_HEADER, alwaysQuote: true });
  const n = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const rows = view.accounts.flatMap((a) =>
    a.lines.map((l) =>
      Object.fromEntries(
        Object.entries({
          accountId: a.accountId,
          accountName: a.accountName,
          agreementId: String(a.agreementId),
          sku: l.sku,
          platformQuantity: n(l.platform?.quantity),
          platformPrice: n(l.platform?.price),
          connectwiseQuantity: n(l.connectwise?.quantity),
          connectwisePrice: n(l.connectwise?.price),
          quantityDifference: String(l.quantityDifference),
          monthlyDifference: n(l.monthlyDifference),
          differs: l.differs ? 'yes' : 'no',
        }).map(([k, v]) => [k, neutraliseCell(v)]),
      ),
    ),
  );
  return '\uFEFF' + stringifier.getHeaderString() + stringifier.stringifyRecords(rows);
}
