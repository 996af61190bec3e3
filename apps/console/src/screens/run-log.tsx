import { useState } from 'react';
import { api, ok } from '../api/client';
import { Alert, EmptyRow, formatDateTime, StatusBadge, useLoad } from '../ui';
import { Operations } from './management';

type LogStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';
const PAGE_SIZE = 50;

/** One run's per-account log: each operation's before and after, or the error; filters; CSV download. */
export function RunLog({ partnerId, runId }: { partnerId: string; runId: string }) {
  const [status, setStatus] = useState<'' | LogStatus>('');
  const [page, setPage] = useState(1);
  const path = { partnerId, runId };
  const run = useLoad(() => ok(api.GET('/partners/{partnerId}/runs/{runId}', { params: { path } })), [runId]);
  const log = useLoad(() => ok(api.GET('/partners/{partnerId}/runs/{runId}/log', { params: { path, query: { page, pageSize: PAGE_SIZE, ...(status ? { status } : {}) } } })), [runId, page, status]);
  const pages = Math.max(1, Math.ceil((log.data?.total ?? 0) / PAGE_SIZE));
  const csv = `/partners/${encodeURIComponent(partnerId)}/runs/${encodeURIComponent(runId)}/log.csv${status ? `?status=${status}` : ''}`;
  const r = run.data;
  return (
    <section aria-labelledby="log-title">
      <p>
        <a href="#/management">← Management</a>
      </p>
      <h1 id="log-title">Export log</h1>
      {run.error ? <Alert>{run.error}</Alert> : null}
      {r ? (
        <p className="lead">
          Run of {formatDateTime(r.createdAt)} ({r.trigger}): <StatusBadge status={r.status} /> {r.total} accounts — {r.changed} changed, {r.unchanged} unchanged, {r.failed} failed
          {r.reason ? `. ${r.reason}` : ''}
        </p>
      ) : null}
      <div className="filters">
        <div className="field">
          <label htmlFor="log-status">Show</label>
          <select id="log-status" value={status} onChange={(e) => (setStatus(e.target.value as '' | LogStatus), setPage(1))}>
            <option value="">All accounts</option>
            <option value="changed">Changed</option>
            <option value="unchanged">Unchanged</option>
            <option value="failed">Failed</option>
            <option value="skipped">Skipped</option>
          </select>
        </div>
        <a className="button" href={csv} download={`export-log-${runId}.csv`}>
          Download CSV
        </a>
      </div>
      {log.error ? <Alert>{log.error}</Alert> : null}
      <table className="grid log">
        <caption className="sr-only">Per-account log</caption>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Result</th>
            <th scope="col">Operations (before → after)</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {(log.data?.items ?? []).map((e) => (
            <tr key={e.accountId}>
              <th scope="row">{e.accountName}</th>
              <td>
                <StatusBadge status={e.status} />
              </td>
              <td>
                {e.error ? (
                  <p className="field-error">
                    {e.error.message}
                    {e.error.code ? ` (${e.error.code})` : ''}
                  </p>
                ) : null}
                <Operations operations={e.operations} />
              </td>
              <td>{formatDateTime(e.finishedAt)}</td>
            </tr>
          ))}
          {log.data?.items.length === 0 ? <EmptyRow columns={4}>Nothing logged{status ? ` with status ${status}` : ''}.</EmptyRow> : null}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <span>
          Page {page} of {pages} · {log.data?.total ?? 0} accounts
        </span>
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </nav>
    </section>
  );
}
