import { useEffect, useRef, useState } from 'react';
import { api, ok, messageOf, type Schemas } from '../api/client';
import { Alert, Dialog, EmptyRow, formatDateTime, formatInZone, StatusBadge, useLoad } from '../ui';

type Run = Schemas['RunResponseDto'];
const ACTIVE = ['queued', 'running'];

/** The management page: state, next export, last export, Start export now with live progress, history, preview, Disable. */
export function Management({ partnerId }: { partnerId: string }) {
  const path = { partnerId };
  const status = useLoad(() => ok(api.GET('/partners/{partnerId}/integration', { params: { path } })), [partnerId]);
  const runs = useLoad(() => ok(api.GET('/partners/{partnerId}/runs', { params: { path, query: { pageSize: 20 } } })), [partnerId]);
  const [live, setLive] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [disabledNotice, setDisabledNotice] = useState<string | null>(null);
  const source = useRef<EventSource | null>(null);

  const watch = (run: Run) => {
    setLive(run);
    source.current?.close();
    // Progress is pushed by the server (server-sent events); the session cookie goes with it.
    const events = new EventSource(`/partners/${encodeURIComponent(partnerId)}/runs/${encodeURIComponent(run.id)}/events`);
    source.current = events;
    events.addEventListener('progress', (e) => {
      const next = JSON.parse((e as MessageEvent<string>).data) as Run;
      setLive(next);
      if (!ACTIVE.includes(next.status)) {
        events.close();
        status.reload();
        runs.reload();
      }
    });
    events.onerror = () => {
      events.close();
      runs.reload();
    };
  };
  useEffect(() => () => source.current?.close(), []);
  // A run already going when the page opens is followed too.
  useEffect(() => {
    const active = runs.data?.items.find((r) => ACTIVE.includes(r.status));
    if (active && !live) watch(active);
  }, [runs.data]);

  const start = async () => {
    setError(null);
    try {
      watch(await ok(api.POST('/partners/{partnerId}/runs', { params: { path } })));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const running = live && ACTIVE.includes(live.status);
  const s = status.data;

  return (
    <section aria-labelledby="management-title">
      <h1 id="management-title">Management</h1>
      {status.error ? <Alert>{status.error}</Alert> : null}
      {disabledNotice ? <Alert kind="info">{disabledNotice}</Alert> : null}
      {s ? (
        <div className="cards">
          <div className="card">
            <h2>State</h2>
            <p>
              <StatusBadge status={s.state} />
            </p>
            {s.attentionReason ? <p className="field-error">{s.attentionReason}</p> : null}
          </div>
          <div className="card">
            <h2>Next export</h2>
            {s.nextScheduledExport ? (
              <p>
                {formatInZone(s.nextScheduledExport.local, s.nextScheduledExport.timeZone)} <small>({s.nextScheduledExport.timeZone})</small>
                <br />
                <small>{formatInZone(s.nextScheduledExport.utc, 'UTC')} UTC</small>
              </p>
            ) : (
              <p>{notScheduledText[s.notScheduledReason ?? ''] ?? '—'}</p>
            )}
          </div>
          <div className="card">
            <h2>Last export</h2>
            {s.lastExport ? (
              <p>
                <StatusBadge status={s.lastExport.status} /> {formatDateTime(s.lastExport.finishedAt)}
                <br />
                {s.lastExport.examined} accounts: {s.lastExport.changed} changed, {s.lastExport.unchanged} unchanged, {s.lastExport.failed} failed
              </p>
            ) : (
              <p>No export yet.</p>
            )}
          </div>
        </div>
      ) : null}
      <div className="actions">
        <button type="button" className="primary" disabled={!!running || s?.state === 'disabled'} onClick={() => void start()}>
          Start export now
        </button>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {live ? <Progress run={live} /> : null}
      <h2>Runs</h2>
      {runs.data && runs.data.items.length > 0 ? <RunsChart runs={runs.data.items} /> : null}
      <table className="grid">
        <caption className="sr-only">Export runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col">Accounts</th>
            <th scope="col">Changed</th>
            <th scope="col">Unchanged</th>
            <th scope="col">Failed</th>
            <th scope="col">
              <span className="sr-only">Log</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(runs.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>{formatDateTime(r.createdAt)}</td>
              <td>{r.trigger}</td>
              <td>
                <StatusBadge status={r.status} />
                {r.reason ? <small className="reason"> {r.reason}</small> : null}
              </td>
              <td>{r.total}</td>
              <td>{r.changed}</td>
              <td>{r.unchanged}</td>
              <td>{r.failed}</td>
              <td>
                <a href={`#/runs/${r.id}`}>Open log</a>
              </td>
            </tr>
          ))}
          {runs.data?.items.length === 0 ? <EmptyRow columns={8}>No runs yet.</EmptyRow> : null}
        </tbody>
      </table>
      <Preview partnerId={partnerId} />
      <h2>Disable</h2>
      <p>Stops the daily export and erases the stored ConnectWise keys.</p>
      <button type="button" className="danger" disabled={s?.state === 'disabled'} onClick={() => setConfirmDisable(true)}>
        Disable the integration…
      </button>
      <Dialog title="Disable the integration?" open={confirmDisable} onClose={() => setConfirmDisable(false)}>
        <p>No export will run, and the stored ConnectWise keys are erased.</p>
        <p>
          <strong>Kept:</strong> your mappings, settings, reports settings, the runs and their logs — and everything in ConnectWise: companies, agreements, additions and
          catalog items are not touched. Enter the credentials again (Setup, step 1) to resume.
        </p>
        <div className="actions">
          <button type="button" onClick={() => setConfirmDisable(false)}>
            Keep it running
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirmDisable(false);
              void ok(api.POST('/partners/{partnerId}/integration/disable', { params: { path } })).then(
                (r) => (setDisabledNotice(r.notice), status.reload()),
                (e: unknown) => setError(messageOf(e)),
              );
            }}
          >
            Disable
          </button>
        </div>
      </Dialog>
    </section>
  );
}

function Progress({ run }: { run: Run }) {
  const done = !ACTIVE.includes(run.status);
  const pct = run.total > 0 ? Math.round((run.done / run.total) * 100) : done ? 100 : 0;
  return (
    <div className="progress-box" aria-live="polite">
      <div className="progress-head">
        <span>
          Export {done ? 'finished' : 'in progress'}: <StatusBadge status={run.status} />
        </span>
        <span>
          {run.done} / {run.total || '?'} accounts
        </span>
      </div>
      <div role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="bar">
        <div style={{ width: `${pct}%` }} />
      </div>
      <p>
        {run.changed} changed, {run.unchanged} unchanged, {run.failed} failed{run.reason ? ` — ${run.reason}` : ''}
        {done ? (
          <>
            {' '}
            · <a href={`#/runs/${run.id}`}>Open the log</a>
          </>
        ) : null}
      </p>
    </div>
  );
}

/** Changed / unchanged / failed accounts per run, oldest on the left (an SVG stacked bar chart). */
function RunsChart({ runs }: { runs: Run[] }) {
  const shown = [...runs].reverse().slice(-20);
  const max = Math.max(1, ...shown.map((r) => r.changed + r.unchanged + r.failed));
  const w = 24;
  const h = 80;
  const summary = shown.map((r) => `${formatDateTime(r.createdAt)}: ${r.changed} changed, ${r.unchanged} unchanged, ${r.failed} failed`).join('; ');
  return (
    <figure className="chart">
      <svg width={shown.length * w + 8} height={h + 4} role="img" aria-label={`Accounts per run. ${summary}`}>
        {shown.map((r, i) => {
          let y = h;
          return (
            <g key={r.id} transform={`translate(${i * w + 4},0)`}>
              {(
                [
                  ['failed', r.failed],
                  ['unchanged', r.unchanged],
                  ['changed', r.changed],
                ] as const
              ).map(([kind, n]) => {
                const bh = (n / max) * h;
                y -= bh;
                return <rect key={kind} className={`seg-${kind}`} x={0} y={y} width={w - 6} height={bh} />;
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span className="key seg-changed" /> changed <span className="key seg-unchanged" /> unchanged <span className="key seg-failed" /> failed — last {shown.length} runs
      </figcaption>
    </figure>
  );
}

/** What the next export would change, read from ConnectWise without writing. */
function Preview({ partnerId }: { partnerId: string }) {
  const [data, setData] = useState<Schemas['PreviewResponseDto'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      setData(await ok(api.GET('/partners/{partnerId}/preview', { params: { path: { partnerId }, query: { pageSize: 20 } } })));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h2>Preview</h2>
      <p>What the next export would change in ConnectWise, account by account. Nothing is written.</p>
      <button type="button" disabled={busy} onClick={() => void load()}>
        {busy ? 'Reading ConnectWise…' : 'Preview the next export'}
      </button>
      {error ? <Alert>{error}</Alert> : null}
      {data ? (
        <div className="preview">
          <p>
            {data.total} accounts to export; first {data.accounts.length} shown. Catalog: {data.catalog.length} change{data.catalog.length === 1 ? '' : 's'}.
          </p>
          {data.accounts.map((a) => (
            <details key={a.accountId}>
              <summary>
                {a.accountName}: {a.operations.length} change{a.operations.length === 1 ? '' : 's'} <StatusBadge status={a.status} />
              </summary>
              <Operations operations={a.operations} />
            </details>
          ))}
        </div>
      ) : null}
    </>
  );
}

export function Operations({ operations }: { operations: Schemas['OperationResponseDto'][] }) {
  if (operations.length === 0) return <p className="muted">No change.</p>;
  return (
    <ul className="ops">
      {operations.map((op, i) => (
        <li key={i}>
          <strong>
            {op.action} {op.entity}
          </strong>
          {op.sku ? ` ${op.sku}` : ''}
          {op.changes.length ? (
            <ul>
              {op.changes.map((c) => (
                <li key={c.field}>
                  {c.field}: <del>{show(c.before)}</del> → <ins>{show(c.after)}</ins>
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Why the control plane's scheduler will not start a daily export (`notScheduledReason`). */
const notScheduledText: Record<string, string> = {
  manual: 'Manual: none scheduled',
  no_settings: 'None scheduled: choose the settings first',
  no_credentials: 'None scheduled: enter the ConnectWise credentials',
  not_configured: 'None scheduled: enter the ConnectWise credentials',
  needs_attention: 'None scheduled until the credentials are entered again',
  disabled: 'None scheduled: the integration is disabled',
  unknown_time_zone: 'None scheduled: the time zone is not known',
};
