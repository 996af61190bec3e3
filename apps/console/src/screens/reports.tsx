import { type FormEvent, useEffect, useState } from 'react';
import { api, ok, messageOf, type Schemas } from '../api/client';
import { Alert, EmptyRow, formatDateTime, StatusBadge, useLoad } from '../ui';

type Save = Schemas['SaveNotificationSettingsRequestDto'];
const EVENTS: { event: Save['events'][number]; label: string }[] = [
  { event: 'run.report', label: 'Run report (after each run, or a digest)' },
  { event: 'run.failed', label: 'A run failed' },
  { event: 'credentials.rejected', label: 'ConnectWise rejected the credentials' },
  { event: 'account.failing', label: 'An account keeps failing' },
  { event: 'accounts.unmapped', label: 'Customer accounts not mapped' },
  { event: 'suggestions.pending', label: 'Suggestions waiting for confirmation' },
];

/** Reports and alerts: who hears about runs and problems, and what was sent. */
export function Reports({ partnerId }: { partnerId: string }) {
  const params = { params: { path: { partnerId } } };
  const [form, setForm] = useState<(Save & { recipientsText: string }) | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const deliveries = useLoad(() => ok(api.GET('/partners/{partnerId}/integration/notifications/deliveries', { params: { path: { partnerId }, query: { pageSize: 50 } } })), [partnerId]);

  useEffect(() => {
    void ok(api.GET('/partners/{partnerId}/integration/notifications', params)).then(
      (s) => setForm({ version: s.version, emailRecipients: s.emailRecipients, recipientsText: s.emailRecipients.join(', '), webhookUrl: s.webhookUrl ?? '', events: s.events, cadence: s.cadence, silentWhenUnchanged: s.silentWhenUnchanged, failingRunsThreshold: s.failingRunsThreshold }),
      (e: unknown) => setMessage({ kind: 'error', text: messageOf(e) }),
    );
  }, [partnerId]);

  if (!form) return message ? <Alert>{message.text}</Alert> : <p>Loading…</p>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      const { recipientsText, ...rest } = form;
      const saved = await ok(
        api.PUT('/partners/{partnerId}/integration/notifications', {
          ...params,
          body: { ...rest, emailRecipients: recipientsText.split(/[,\s]+/).filter(Boolean), webhookUrl: rest.webhookUrl ? rest.webhookUrl : null },
        }),
      );
      setForm({ ...form, version: saved.version });
      setSecret(saved.webhookSecret ?? null);
      setMessage({ kind: 'success', text: 'Reports and alerts saved.' });
    } catch (e) {
      setMessage({ kind: 'error', text: messageOf(e) });
    }
  };

  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Reports and alerts</h1>
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="recipients">E-mail recipients</label>
          <input id="recipients" value={form.recipientsText} onChange={(e) => setForm({ ...form, recipientsText: e.target.value })} aria-describedby="recipients-hint" />
          <p className="hint" id="recipients-hint">
            Separated by commas.
          </p>
        </div>
        <div className="field">
          <label htmlFor="webhook">Webhook URL</label>
          <input id="webhook" type="url" value={form.webhookUrl ?? ''} onChange={(e) => setForm({ ...form, webhookUrl: e.target.value })} placeholder="https://…" aria-describedby="webhook-hint" />
          <p className="hint" id="webhook-hint">
            Signed with HMAC-SHA256 (header X-Cwx-Signature); the secret is shown once, when it is created.
          </p>
        </div>
        {secret ? (
          <Alert kind="warning">
            Webhook secret (copy it now, it is not shown again): <code>{secret}</code>
          </Alert>
        ) : null}
        <fieldset>
          <legend>Send</legend>
          {EVENTS.map((e) => (
            <div className="check" key={e.event}>
              <input type="checkbox" id={`event-${e.event}`} checked={form.events.includes(e.event)} onChange={(x) => setForm({ ...form, events: x.target.checked ? [...form.events, e.event] : form.events.filter((v) => v !== e.event) })} />
              <label htmlFor={`event-${e.event}`}>{e.label}</label>
            </div>
          ))}
        </fieldset>
        <div className="inline">
          <div className="field">
            <label htmlFor="cadence">Run report</label>
            <select id="cadence" value={form.cadence} onChange={(e) => setForm({ ...form, cadence: e.target.value as Save['cadence'] })}>
              <option value="every_run">After every run</option>
              <option value="daily_digest">Daily digest</option>
              <option value="weekly_digest">Weekly digest</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="threshold">Alert after an account fails on</label>
            <input id="threshold" type="number" min={1} max={100} value={form.failingRunsThreshold ?? 3} onChange={(e) => setForm({ ...form, failingRunsThreshold: Number(e.target.value) })} aria-describedby="threshold-unit" />
            <span id="threshold-unit"> consecutive runs</span>
          </div>
        </div>
        <div className="check">
          <input type="checkbox" id="silent" checked={form.silentWhenUnchanged} onChange={(e) => setForm({ ...form, silentWhenUnchanged: e.target.checked })} />
          <label htmlFor="silent">No report when nothing changed</label>
        </div>
        {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
        <div className="actions">
          <button type="submit" className="primary">
            Save reports and alerts
          </button>
        </div>
      </form>
      <h2>Deliveries</h2>
      <table className="grid">
        <caption className="sr-only">Notifications sent, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Channel</th>
            <th scope="col">Event</th>
            <th scope="col">To</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {(deliveries.data?.items ?? []).map((n) => (
            <tr key={n.id}>
              <td>{formatDateTime(n.createdAt)}</td>
              <td>{n.channel}</td>
              <td>{n.event}</td>
              <td>{n.recipients.join(', ')}</td>
              <td>
                <StatusBadge status={n.status} />
              </td>
              <td>{n.attempts}</td>
              <td>{n.lastError ?? ''}</td>
            </tr>
          ))}
          {deliveries.data?.items.length === 0 ? <EmptyRow columns={7}>Nothing sent yet.</EmptyRow> : null}
        </tbody>
      </table>
    </section>
  );
}
