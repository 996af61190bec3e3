/**
 * What a partner reads: run reports, digests and alerts as e-mail (subject, plain text, HTML) and as a
 * webhook's JSON `data`. Pure functions of data already read from the store; no I/O here.
 */

export interface LoggedOperation {
  entity: string;
  action: string;
  sku?: string;
  changes: { field: string; before?: unknown; after?: unknown }[];
}

export interface AmountChange {
  accountId: string;
  accountName: string;
  sku: string;
  action: string;
  quantityBefore: number | null;
  quantityAfter: number | null;
  unitPrice: number | null;
  /** quantity × price after, minus before; null when the price (or quantity) is unknown. */
  amountDelta: number | null;
}

export interface ReportFailure {
  accountId: string;
  accountName: string;
  reason: string;
}

/** A warning of the run's log: an account's, or the catalog phase's (no account). */
export interface ReportWarning {
  accountId: string | null;
  accountName: string | null;
  code: string;
  sku?: string;
  message: string;
}

export interface RunReport {
  partnerName: string;
  runId: string;
  trigger: string;
  status: string;
  reason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  counts: { examined: number; changed: number; unchanged: number; failed: number; skipped: number; total: number };
  largestChanges: AmountChange[];
  failures: ReportFailure[];
  /** Failures beyond those listed. */
  moreFailures: number;
  /** The catalog phase: items created and updated; null when it has not reported. */
  catalog: { status: string; created: number; updated: number } | null;
  /** The catalog phase's warnings first, then the accounts'. */
  warnings: ReportWarning[];
  /** Warnings beyond those listed. */
  moreWarnings: number;
  /** Changes waiting in the review queue after the run, and the monthly amount they would add and remove; null when none waits. */
  review: ReviewSummary | null;
  logUrl: string;
  logCsvUrl: string;
}

export interface ReviewSummary {
  pending: number;
  monthlyAdded: number;
  monthlyRemoved: number;
  queueUrl: string;
}

/** "3 change(s) wait for review: +40.00 / −60.00 a month". */
export function describeReview(r: ReviewSummary): string {
  return `${r.pending} change(s) wait for review: ${signed(r.monthlyAdded)} / ${signed(r.monthlyRemoved)} a month`;
}

export interface DigestReport {
  partnerName: string;
  period: { label: string; from: string; to: string };
  runs: { runId: string; status: string; finishedAt: string | null; examined: number; changed: number; unchanged: number; failed: number; logUrl: string }[];
  totals: { runs: number; examined: number; changed: number; unchanged: number; failed: number };
  failures: (ReportFailure & { runId: string })[];
  moreFailures: number;
}

export interface AlertContent {
  partnerName: string;
  event: string;
  title: string;
  lines: string[];
  link?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export const LARGEST_CHANGES = 10;
export const LISTED_FAILURES = 50;
export const LISTED_WARNINGS = 50;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The amount each addition moved by: quantity × unit price after, minus before. The unit price comes
 * from the operation when it changed, else from `prices` (the partner's retail price list).
 */
export function amountChanges(
  account: { accountId: string; accountName: string },
  operations: readonly LoggedOperation[],
  prices: ReadonlyMap<string, number>,
): AmountChange[] {
  const out: AmountChange[] = [];
  for (const op of operations) {
    if (op.entity !== 'addition' || !op.sku || !['create', 'update', 'retire'].includes(op.action)) continue;
    const field = (name: string) => op.changes.find((c) => c.field === name);
    const quantity = field('quantity');
    const price = field('unitPrice');
    const cancelled = field('cancelledDate');
    if (!quantity && !price && !cancelled) continue;
    const fallback = prices.get(op.sku) ?? null;
    const qb = op.action === 'create' ? 0 : quantity ? num(quantity.before) : null;
    const qa = quantity ? num(quantity.after) : cancelled && cancelled.after !== null ? 0 : null;
    const pb = price ? (num(price.before) ?? fallback) : fallback;
    const pa = price ? num(price.after) : fallback;
    const before = qb === 0 ? 0 : qb !== null && pb !== null ? qb * pb : null;
    const delta = qa !== null && pa !== null && before !== null ? round2(qa * pa - before) : null;
    out.push({ ...account, sku: op.sku, action: op.action, quantityBefore: qb, quantityAfter: qa, unitPrice: pa ?? pb, amountDelta: delta });
  }
  return out;
}

/** Largest absolute amount first; unknown amounts after, by quantity moved. */
export function largestChanges(changes: readonly AmountChange[], limit = LARGEST_CHANGES): AmountChange[] {
  const qty = (c: AmountChange) => Math.abs((c.quantityAfter ?? 0) - (c.quantityBefore ?? 0));
  return [...changes]
    .sort((a, b) => {
      if (a.amountDelta !== null && b.amountDelta !== null) return Math.abs(b.amountDelta) - Math.abs(a.amountDelta) || a.accountName.localeCompare(b.accountName);
      if (a.amountDelta !== null) return -1;
      if (b.amountDelta !== null) return 1;
      return qty(b) - qty(a);
    })
    .slice(0, limit);
}

/** One line a partner understands for a logged error: ConnectWise's code and message when it answered. */
export function failureReason(error: unknown): string {
  if (!error || typeof error !== 'object') return 'failed (no reason recorded)';
  const e = error as { kind?: unknown; code?: unknown; message?: unknown; status?: unknown };
  const head = [typeof e.code === 'string' ? e.code : typeof e.kind === 'string' ? e.kind : undefined, typeof e.status === 'number' ? `HTTP ${e.status}` : undefined]
    .filter(Boolean)
    .join(', ');
  const message = typeof e.message === 'string' ? e.message : '';
  return head ? `${head}: ${message}` : message || 'failed';
}

export function renderRunReport(r: RunReport): RenderedEmail {
  const subject = `[${r.partnerName}] ConnectWise export ${label(r.status)}: ${r.counts.changed} changed, ${r.counts.failed} failed of ${r.counts.examined}`;
  const text: string[] = [
    `ConnectWise export for ${r.partnerName}: ${label(r.status)}`,
    `Run ${r.runId} (${r.trigger}), finished ${r.finishedAt ?? 'not yet'}`,
    ...(r.reason ? [`Reason: ${r.reason}`] : []),
    '',
    `Accounts examined: ${r.counts.examined}`,
    `Changed: ${r.counts.changed}`,
    `Unchanged: ${r.counts.unchanged}`,
    `Failed: ${r.counts.failed}`,
    ...(r.counts.skipped > 0 ? [`Skipped: ${r.counts.skipped}`] : []),
    '',
  ];
  if (r.largestChanges.length > 0) {
    text.push('Largest changes:');
    for (const c of r.largestChanges) text.push(`  ${c.accountName} — ${c.sku}: ${describeChange(c)}`);
    text.push('');
  }
  if (r.catalog) text.push(`Catalog: ${describeCatalog(r.catalog)}`, '');
  if (r.review) text.push(`${describeReview(r.review)}. The queue: ${r.review.queueUrl}`, '');
  if (r.failures.length > 0) {
    text.push('Failures:');
    for (const f of r.failures) text.push(`  ${f.accountName} (${f.accountId}): ${f.reason}`);
    if (r.moreFailures > 0) text.push(`  … and ${r.moreFailures} more in the log`);
    text.push('');
  }
  if (r.warnings.length > 0) {
    text.push('Warnings:');
    for (const w of r.warnings) text.push(`  ${warningSubject(w)}: ${warningText(w)}`);
    if (r.moreWarnings > 0) text.push(`  … and ${r.moreWarnings} more in the log`);
    text.push('');
  }
  text.push(`The log: ${r.logUrl}`, `As CSV: ${r.logCsvUrl}`);

  const html = page(
    `ConnectWise export for ${esc(r.partnerName)}: ${esc(label(r.status))}`,
    [
      `<p>Run <code>${esc(r.runId)}</code> (${esc(r.trigger)}), finished ${esc(r.finishedAt ?? 'not yet')}.</p>`,
      r.reason ? `<p><strong>Reason:</strong> ${esc(r.reason)}</p>` : '',
      table(['Accounts examined', 'Changed', 'Unchanged', 'Failed'], [[r.counts.examined, r.counts.changed, r.counts.unchanged, r.counts.failed].map(String)]),
      r.largestChanges.length > 0
        ? `<h2>Largest changes</h2>${table(
            ['Account', 'SKU', 'Change', 'Amount'],
            r.largestChanges.map((c) => [c.accountName, c.sku, describeQuantity(c), c.amountDelta === null ? '—' : signed(c.amountDelta)]),
          )}`
        : '',
      r.failures.length > 0
        ? `<h2>Failures</h2>${table(['Account', 'Reason'], r.failures.map((f) => [`${f.accountName} (${f.accountId})`, f.reason]))}${
            r.moreFailures > 0 ? `<p>… and ${r.moreFailures} more in the log.</p>` : ''
          }`
        : '',
      r.catalog ? `<p><strong>Catalog:</strong> ${esc(describeCatalog(r.catalog))}</p>` : '',
      r.review ? `<p><strong>Waiting for review:</strong> ${esc(describeReview(r.review))} (<a href="${esc(r.review.queueUrl)}">the queue</a>).</p>` : '',
      r.warnings.length > 0
        ? `<h2>Warnings</h2>${table(['Where', 'Warning'], r.warnings.map((w) => [warningSubject(w), warningText(w)]))}${
            r.moreWarnings > 0 ? `<p>… and ${r.moreWarnings} more in the log.</p>` : ''
          }`
        : '',
      `<p><a href="${esc(r.logUrl)}">Read the log</a> · <a href="${esc(r.logCsvUrl)}">download it as CSV</a></p>`,
    ].join('\n'),
  );
  return { subject, text: text.join('\n'), html };
}

export function renderDigest(d: DigestReport): RenderedEmail {
  const subject = `[${d.partnerName}] ConnectWise exports, ${d.period.label}: ${d.totals.runs} runs, ${d.totals.changed} changed, ${d.totals.failed} failed`;
  const text: string[] = [
    `ConnectWise exports for ${d.partnerName}, ${d.period.label} (${d.period.from} to ${d.period.to})`,
    '',
    `Runs: ${d.totals.runs}`,
    `Accounts examined: ${d.totals.examined}`,
    `Changed: ${d.totals.changed}`,
    `Unchanged: ${d.totals.unchanged}`,
    `Failed: ${d.totals.failed}`,
    '',
    ...d.runs.map((r) => `  ${r.finishedAt ?? '-'}  ${label(r.status)}: ${r.examined} examined, ${r.changed} changed, ${r.failed} failed — ${r.logUrl}`),
  ];
  if (d.failures.length > 0) {
    text.push('', 'Failures:');
    for (const f of d.failures) text.push(`  ${f.accountName} (${f.accountId}), run ${f.runId}: ${f.reason}`);
    if (d.moreFailures > 0) text.push(`  … and ${d.moreFailures} more in the logs`);
  }
  const html = page(
    `ConnectWise exports for ${esc(d.partnerName)}, ${esc(d.period.label)}`,
    [
      table(['Runs', 'Accounts examined', 'Changed', 'Unchanged', 'Failed'], [[d.totals.runs, d.totals.examined, d.totals.changed, d.totals.unchanged, d.totals.failed].map(String)]),
      table(
        ['Finished', 'Status', 'Examined', 'Changed', 'Failed', 'Log'],
        d.runs.map((r) => [r.finishedAt ?? '-', label(r.status), String(r.examined), String(r.changed), String(r.failed), r.logUrl]),
      ),
      d.failures.length > 0 ? `<h2>Failures</h2>${table(['Account', 'Run', 'Reason'], d.failures.map((f) => [`${f.accountName} (${f.accountId})`, f.runId, f.reason]))}` : '',
    ].join('\n'),
  );
  return { subject, text: text.join('\n'), html };
}

export function renderAlert(a: AlertContent): RenderedEmail {
  const subject = `[${a.partnerName}] ${a.title}`;
  const text = [a.title, '', ...a.lines, ...(a.link ? ['', a.link] : [])].join('\n');
  const html = page(esc(a.title), `<ul>${a.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>${a.link ? `<p><a href="${esc(a.link)}">${esc(a.link)}</a></p>` : ''}`);
  return { subject, text, html };
}

export function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif"><h1>${title}</h1>\n${body}\n</body></html>`;
}

/** An HTML table; every cell is escaped. */
export function table(header: string[], rows: string[][]): string {
  const th = header.map((h) => `<th align="left">${esc(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table border="1" cellpadding="4" cellspacing="0"><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function label(status: string): string {
  return status.replace(/_/g, ' ');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;
}

function describeQuantity(c: AmountChange): string {
  const q = `${c.quantityBefore ?? '?'} → ${c.quantityAfter ?? '?'}`;
  return c.unitPrice === null ? q : `${q} × ${c.unitPrice}`;
}

function describeCatalog(c: NonNullable<RunReport['catalog']>): string {
  if (c.status === 'failed') return 'failed (see the reason above)';
  return c.created + c.updated === 0 ? 'unchanged' : `${c.created} item(s) created, ${c.updated} updated`;
}

function warningSubject(w: ReportWarning): string {
  return w.accountId === null ? 'Catalog' : `${w.accountName ?? ''} (${w.accountId})`;
}

function warningText(w: ReportWarning): string {
  return `${w.code}${w.sku ? ` ${w.sku}` : ''}: ${w.message}`;
}

function describeChange(c: AmountChange): string {
  return `${c.action} ${describeQuantity(c)}${c.amountDelta === null ? '' : ` (${signed(c.amountDelta)})`}`;
}
