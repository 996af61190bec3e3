import { type FormEvent, useEffect, useState } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { Alert, Badge, Dialog, EmptyRow, ErrorAlert, formatDateTime, formatMoney, formatSigned, label, StatusBadge, useLoad } from '../ui';
import { AccountPicker } from './account-picker';

type Change = Schemas['ReviewChangeDto'];
type Policy = Schemas['ReviewPolicyDto'];
type Status = 'pending' | 'approved' | 'dismissed' | 'applied' | 'superseded';
type ChangeClass = 'new-line' | 'increase' | 'decrease' | 'cancellation' | 'price-change';
type Preset = 'recommended' | 'nothing-waits' | 'everything-waits';
type Run = Schemas['RunResponseDto'];

const PAGE_SIZE = 100;
const STATUSES: Status[] = ['pending', 'approved', 'dismissed', 'applied', 'superseded'];
const CLASSES: { cls: ChangeClass; title: string }[] = [
  { cls: 'new-line', title: 'New lines' },
  { cls: 'increase', title: 'Increases' },
  { cls: 'decrease', title: 'Decreases' },
  { cls: 'cancellation', title: 'Cancellations' },
  { cls: 'price-change', title: 'Price changes over the threshold' },
];
const CLASS_KIND: Record<string, string> = { 'new-line': 'info', increase: 'ok', decrease: 'warn', cancellation: 'bad', 'price-change': 'warn' };

/** The review queue (issue 19): what waits for a person, with totals; approve, adjust or dismiss; apply; the audit trail; the policy. */
export function Review({ partnerId }: { partnerId: string }) {
  const path = { partnerId };
  const [status, setStatus] = useState<Status>('pending');
  const [accountId, setAccountId] = useState('');
  const [cls, setCls] = useState<'' | ChangeClass>('');
  const [sku, setSku] = useState('');
  const [skuQuery, setSkuQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState<{ kind: 'success' | 'warning' | 'info'; text: string } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [adjusting, setAdjusting] = useState<Change[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [applying, setApplying] = useState<Run | null>(null);

  useEffect(() => {
    const t = window.setTimeout(() => (setSkuQuery(sku.trim()), setOffset(0)), 200);
    return () => window.clearTimeout(t);
  }, [sku]);

  const queue = useLoad(
    () =>
      ok(
        api.GET('/partners/{partnerId}/review/changes', {
          params: { path, query: { status, limit: PAGE_SIZE, offset, ...(accountId ? { accountId } : {}), ...(cls ? { class: [cls] } : {}), ...(skuQuery ? { sku: skuQuery } : {}) } },
        }),
      ),
    [partnerId, status, accountId, cls, skuQuery, offset],
  );
  const approved = useLoad(() => ok(api.GET('/partners/{partnerId}/review/changes', { params: { path, query: { status: 'approved', limit: 1 } } })), [partnerId, queue.data]);

  const items = queue.data?.items ?? [];
  const totals = queue.data?.totals;
  const chosen = items.filter((c) => selected.has(c.id));
  const allOnPage = items.length > 0 && items.every((c) => selected.has(c.id));
  const pending = status === 'pending';

  // Follow the run of approved changes to its end, then read the queue again.
  useEffect(() => {
    if (!applying || !['queued', 'running'].includes(applying.status)) return;
    const t = window.setTimeout(() => {
      void ok(api.GET('/partners/{partnerId}/runs/{runId}', { params: { path: { partnerId, runId: applying.id } } })).then(
        (run) => {
          setApplying(run);
          if (!['queued', 'running'].includes(run.status)) {
            setNotice({ kind: run.status === 'succeeded' ? 'success' : 'warning', text: `Approved changes applied: run ${label(run.status).toLowerCase()}, ${run.changed} account${run.changed === 1 ? '' : 's'} changed, ${run.failed} failed.` });
            queue.reload();
          }
        },
        (error: unknown) => (setFailure(error), setApplying(null)),
      );
    }, 500);
    return () => window.clearTimeout(t);
  }, [applying, partnerId]);

  const decide = async (action: 'approve' | 'dismiss' | 'adjust', changes: Change[], adjust: { quantity?: number; effectiveDate?: string } = {}) => {
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      const result = await ok(api.POST('/partners/{partnerId}/review/changes/decisions', { params: { path }, body: { action, ids: changes.map((c) => c.id), ...adjust } }));
      const verb = action === 'approve' ? 'Approved' : action === 'dismiss' ? 'Dismissed' : 'Adjusted';
      const what = changes.length === 1 ? `${changes[0].accountName} · ${changes[0].sku}` : `${result.decided} change${result.decided === 1 ? '' : 's'}`;
      setNotice({ kind: result.skipped.length ? 'warning' : 'success', text: `${verb}: ${what}.${result.skipped.length ? ` ${result.skipped.length} skipped (no longer pending).` : ''}` });
      setSelected(new Set());
      queue.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      const run = await ok(api.POST('/partners/{partnerId}/review/apply', { params: { path } }));
      setApplying(run);
      setNotice({ kind: 'info', text: 'Applying the approved changes…' });
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const running = !!applying && ['queued', 'running'].includes(applying.status);
  const approvedCount = approved.data?.totals.count ?? 0;

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">Review queue</h1>
      <p className="lead">Changes the review policy holds for a person: approve, adjust or dismiss them, then apply the approved ones. Every decision is kept.</p>
      <div className="toolbar">
        <button type="button" className="primary" disabled={busy || running || approvedCount === 0} onClick={() => void apply()}>
          {running ? 'Applying…' : `Apply approved (${approvedCount})`}
        </button>
        <a className="button" href={`/partners/${encodeURIComponent(partnerId)}/review/decisions.csv`} download="review-decisions.csv">
          Download the audit trail (CSV)
        </a>
        {applying ? <a href={`#/runs/${applying.id}`}>Open the run's log</a> : null}
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="review-status">Status</label>
          <select id="review-status" value={status} onChange={(e) => (setStatus(e.target.value as Status), setOffset(0), setSelected(new Set()))}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </div>
        <AccountPicker partnerId={partnerId} id="review-account" label="Account" value={accountId} onChange={(a) => (setAccountId(a), setOffset(0))} allTitle="All accounts" />
        <div className="field">
          <label htmlFor="review-class">Change</label>
          <select id="review-class" value={cls} onChange={(e) => (setCls(e.target.value as '' | ChangeClass), setOffset(0))}>
            <option value="">Every kind</option>
            {CLASSES.map((c) => (
              <option key={c.cls} value={c.cls}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="review-sku">SKU</label>
          <input id="review-sku" type="search" value={sku} onChange={(e) => setSku(e.target.value)} />
        </div>
      </div>
      {totals ? (
        <dl className="totals" aria-label="Totals">
          <div>
            <dt>{label(status)} changes</dt>
            <dd data-total="count">{totals.count}</dd>
          </div>
          <div>
            <dt>Adds per month</dt>
            <dd data-total="added">{formatSigned(totals.monthlyAdded)}</dd>
          </div>
          <div>
            <dt>Removes per month</dt>
            <dd data-total="removed">{formatSigned(totals.monthlyRemoved)}</dd>
          </div>
          <div>
            <dt>Without a price</dt>
            <dd>{totals.unpriced}</dd>
          </div>
        </dl>
      ) : null}
      {pending ? (
        <div className="bulk" role="group" aria-label="Bulk actions">
          <span>{chosen.length} selected</span>
          <button type="button" disabled={busy || chosen.length === 0} onClick={() => void decide('approve', chosen)}>
            Approve selected
          </button>
          <button type="button" disabled={busy || chosen.length === 0} onClick={() => setAdjusting(chosen)}>
            Adjust selected
          </button>
          <button type="button" disabled={busy || chosen.length === 0} onClick={() => void decide('dismiss', chosen)}>
            Dismiss selected
          </button>
        </div>
      ) : null}
      {notice ? <Alert kind={notice.kind}>{notice.text}</Alert> : null}
      {failure ? <ErrorAlert error={failure} /> : null}
      {queue.error ? <Alert>{queue.error}</Alert> : null}
      <table className="grid review" aria-busy={queue.loading}>
        <caption className="sr-only">{label(status)} changes</caption>
        <thead>
          <tr>
            {pending ? (
              <th scope="col">
                <input type="checkbox" aria-label="Select all changes on this page" checked={allOnPage} onChange={(e) => setSelected(e.target.checked ? new Set(items.map((c) => c.id)) : new Set())} />
              </th>
            ) : null}
            <th scope="col">Account</th>
            <th scope="col">Line</th>
            <th scope="col">Change</th>
            <th scope="col">Before → after</th>
            <th scope="col">Monthly amount</th>
            <th scope="col">{pending ? 'Waiting since' : 'Decided'}</th>
            <th scope="col">{pending ? <span className="sr-only">Actions</span> : 'Status'}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => {
            const what = `${c.accountName} ${c.sku}`;
            return (
              <tr key={c.id} data-change={c.id}>
                {pending ? (
                  <td>
                    <input type="checkbox" aria-label={`Select ${what}`} checked={selected.has(c.id)} onChange={(e) => setSelected((s) => (e.target.checked ? new Set(s).add(c.id) : new Set([...s].filter((x) => x !== c.id))))} />
                  </td>
                ) : null}
                <th scope="row">{c.accountName}</th>
                <td>
                  <code>{c.sku}</code>
                  <small className="muted block">{c.additionId ? `Addition #${c.additionId}` : 'New line'} · agreement #{c.agreementId}</small>
                </td>
                <td>
                  {c.classes.map((k) => (
                    <Badge key={k} kind={CLASS_KIND[k] ?? 'muted'}>
                      {label(k)}
                    </Badge>
                  ))}
                  {c.reason === 'edited-in-connectwise' ? <small className="block">Edited in ConnectWise</small> : null}
                </td>
                <td className="ops">
                  <BeforeAfter change={c} />
                </td>
                <td className={c.monthlyAmount !== null && c.monthlyAmount < 0 ? 'amount negative' : 'amount'}>{formatSigned(c.monthlyAmount)}</td>
                <td>{pending ? formatDateTime(c.waitingSince) : c.decidedAt ? `${formatDateTime(c.decidedAt)} by ${c.decidedBy ?? '—'}` : '—'}</td>
                <td className="row-actions">
                  {pending ? (
                    <>
                      <button type="button" className="small" disabled={busy} aria-label={`Approve ${what}`} onClick={() => void decide('approve', [c])}>
                        Approve
                      </button>
                      <button type="button" className="small" disabled={busy} aria-label={`Adjust ${what}`} onClick={() => setAdjusting([c])}>
                        Adjust
                      </button>
                      <button type="button" className="small" disabled={busy} aria-label={`Dismiss ${what}`} onClick={() => void decide('dismiss', [c])}>
                        Dismiss
                      </button>
                    </>
                  ) : (
                    <StatusBadge status={c.status} />
                  )}
                </td>
              </tr>
            );
          })}
          {items.length === 0 && !queue.loading ? <EmptyRow columns={pending ? 8 : 7}>{pending ? 'Nothing waits for review.' : 'No changes here.'}</EmptyRow> : null}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
          Previous
        </button>
        <span aria-live="polite">
          {totals ? `${totals.count === 0 ? 0 : offset + 1}–${Math.min(offset + PAGE_SIZE, totals.count)} of ${totals.count}` : '…'}
        </span>
        <button type="button" disabled={!totals || offset + PAGE_SIZE >= totals.count} onClick={() => setOffset(offset + PAGE_SIZE)}>
          Next
        </button>
      </nav>
      <Dialog title={adjusting && adjusting.length === 1 ? `Adjust ${adjusting[0].accountName} · ${adjusting[0].sku}` : `Adjust ${adjusting?.length ?? 0} changes`} open={!!adjusting} onClose={() => setAdjusting(null)}>
        {adjusting ? (
          <AdjustForm
            changes={adjusting}
            onCancel={() => setAdjusting(null)}
            onSubmit={(adjust) => {
              const changes = adjusting;
              setAdjusting(null);
              void decide('adjust', changes, adjust);
            }}
          />
        ) : null}
      </Dialog>
      <PolicyEditor partnerId={partnerId} />
    </section>
  );
}

function BeforeAfter({ change }: { change: Change }) {
  const b = change.before;
  const a = change.after;
  const qty = (v: Schemas['LineValuesDto'] | null) => (!v ? '—' : v.cancelled ? 'cancelled' : String(v.quantity ?? '—'));
  const adjusted = change.adjustedQuantity !== null ? ` (adjusted to ${change.adjustedQuantity})` : '';
  return (
    <span>
      Qty <del>{qty(b)}</del> → <ins>{qty(a)}</ins>
      {adjusted}
      {b?.unitPrice !== a.unitPrice ? (
        <>
          <br />
          Price <del>{formatMoney(b?.unitPrice)}</del> → <ins>{formatMoney(a.unitPrice)}</ins>
        </>
      ) : a.unitPrice !== null ? (
        <>
          <br />
          <small className="muted">at {formatMoney(a.unitPrice)}</small>
        </>
      ) : null}
      {change.adjustedEffectiveDate ? (
        <>
          <br />
          <small>effective {change.adjustedEffectiveDate}</small>
        </>
      ) : null}
    </span>
  );
}

function AdjustForm({ changes, onCancel, onSubmit }: { changes: Change[]; onCancel: () => void; onSubmit: (adjust: { quantity?: number; effectiveDate?: string }) => void }) {
  const one = changes.length === 1 ? changes[0] : undefined;
  const [quantity, setQuantity] = useState(one?.after.quantity !== null && one?.after.quantity !== undefined ? String(one.after.quantity) : '');
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (quantity === '' && date === '') return setError('Give a quantity, an effective date, or both.');
    onSubmit({ ...(quantity !== '' ? { quantity: Number(quantity) } : {}), ...(date ? { effectiveDate: date } : {}) });
  };
  return (
    <form onSubmit={submit}>
      <p>The adjusted change is approved: the next run of approved changes writes it.</p>
      <div className="field">
        <label htmlFor="adjust-quantity">Quantity</label>
        <input id="adjust-quantity" type="number" min={0} step="any" value={quantity} onChange={(e) => setQuantity(e.target.value)} aria-describedby="adjust-quantity-hint" />
        <p className="hint" id="adjust-quantity-hint">
          {one ? `The platform says ${one.after.quantity ?? '—'}. ` : ''}Leave empty to keep the platform's quantity.
        </p>
      </div>
      <div className="field">
        <label htmlFor="adjust-date">Effective date</label>
        <input id="adjust-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
      </div>
      {error ? <Alert>{error}</Alert> : null}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Approve as adjusted
        </button>
      </div>
    </form>
  );
}

/** The review policy: a preset, each class, the price threshold, edits made in ConnectWise, dating. */
function PolicyEditor({ partnerId }: { partnerId: string }) {
  const path = { partnerId };
  const current = useLoad(() => ok(api.GET('/partners/{partnerId}/review/policy', { params: { path } })), [partnerId]);
  const [form, setForm] = useState<Policy | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (current.data) setForm(structuredClone(current.data.policy));
  }, [current.data]);

  const save = async (body: { preset?: Preset; policy?: Policy }) => {
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      const saved = await ok(api.PUT('/partners/{partnerId}/review/policy', { params: { path }, body: { ...(current.data?.configured ? { version: current.data.version } : {}), ...body } }));
      current.set(saved);
      setNotice(body.preset ? `Review policy set to “${label(body.preset)}”.` : 'Review policy saved.');
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="policy-title" className="policy">
      <h2 id="policy-title">Review policy</h2>
      {current.error ? <Alert>{current.error}</Alert> : null}
      {current.data && !current.data.configured ? <Alert kind="info">No policy saved yet: nothing waits, every change is written by the runs.</Alert> : null}
      <div className="toolbar" role="group" aria-label="Presets">
        <button type="button" disabled={busy} onClick={() => void save({ preset: 'recommended' })}>
          Recommended
        </button>
        <button type="button" disabled={busy} onClick={() => void save({ preset: 'nothing-waits' })}>
          Nothing waits
        </button>
        <button type="button" disabled={busy} onClick={() => void save({ preset: 'everything-waits' })}>
          Everything waits
        </button>
      </div>
      {form ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save({ policy: form });
          }}
        >
          <fieldset>
            <legend>What waits for a person</legend>
            {CLASSES.map((c) => (
              <div className="check" key={c.cls}>
                <input type="checkbox" id={`rule-${c.cls}`} checked={form.rules[c.cls] === 'review'} onChange={(e) => setForm({ ...form, rules: { ...form.rules, [c.cls]: e.target.checked ? 'review' : 'apply' } })} />
                <label htmlFor={`rule-${c.cls}`}>{c.title}</label>
              </div>
            ))}
            <div className="field narrow">
              <label htmlFor="price-threshold">Price change threshold (%)</label>
              <input id="price-threshold" type="number" step="any" value={form.priceThresholdPercent} onChange={(e) => setForm({ ...form, priceThresholdPercent: e.target.value === '' ? Number.NaN : Number(e.target.value) })} aria-describedby="price-threshold-hint" />
              <p className="hint" id="price-threshold-hint">
                Price changes of at most this many percent apply even when price changes wait.
              </p>
            </div>
          </fieldset>
          <fieldset>
            <legend>A line edited in ConnectWise</legend>
            <div className="radio">
              <input type="radio" id="edited-overwrite" name="edited" checked={form.editedLines === 'overwrite'} onChange={() => setForm({ ...form, editedLines: 'overwrite' })} />
              <label htmlFor="edited-overwrite">Write over the edit</label>
            </div>
            <div className="radio">
              <input type="radio" id="edited-keep" name="edited" checked={form.editedLines === 'keep'} onChange={() => setForm({ ...form, editedLines: 'keep' })} />
              <label htmlFor="edited-keep">Keep the edit and put our change in the queue</label>
            </div>
          </fieldset>
          <fieldset>
            <legend>Dates</legend>
            <div className="field">
              <label htmlFor="quantity-change">A quantity change on an agreement that prorates</label>
              <select id="quantity-change" value={form.quantityChange} onChange={(e) => setForm({ ...form, quantityChange: e.target.value as Policy['quantityChange'] })}>
                <option value="in-place">Update the line in place</option>
                <option value="end-and-start">End the line on the change date and start a new one</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="new-line-start">A new line starts on</label>
              <select id="new-line-start" value={form.newLineStart} onChange={(e) => setForm({ ...form, newLineStart: e.target.value as Policy['newLineStart'] })}>
                <option value="subscription-start">The day the platform's subscription started</option>
                <option value="day-seen">The day the change was seen</option>
              </select>
            </div>
          </fieldset>
          {failure ? <ErrorAlert error={failure} /> : null}
          {notice ? <Alert kind="success">{notice}</Alert> : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Save review policy
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
