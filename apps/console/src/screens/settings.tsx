import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api, ApiError, ok, messageOf, type Schemas } from '../api/client';
import { Alert, formatInZone, useLoad } from '../ui';

type Save = Schemas['SaveSettingsRequestDto'];
type Defaults = Schemas['ConnectWiseDefaultsRequestDto'];

const DATA: { key: keyof Save['data']; label: string }[] = [
  { key: 'products', label: 'Products (catalog items and agreement additions)' },
  { key: 'quantity', label: 'Quantity' },
  { key: 'cost', label: 'Cost' },
  { key: 'retailPrice', label: 'Retail price' },
  { key: 'usersList', label: 'Users list (CSV attached to each agreement)' },
];

const DEFAULTS: { key: keyof Defaults; list: keyof Schemas['ConnectWiseOptionsResponseDto']; label: string }[] = [
  { key: 'catalogSubcategoryId', list: 'catalogSubcategories', label: 'Catalog subcategory' },
  { key: 'productTypeId', list: 'productTypes', label: 'Product type' },
  { key: 'unitOfMeasureId', list: 'unitsOfMeasure', label: 'Unit of measure' },
  { key: 'agreementTypeId', list: 'agreementTypes', label: 'Agreement type (for new agreements)' },
  { key: 'billingCycleId', list: 'billingCycles', label: 'Billing cycle (for new agreements)' },
];

type Policy = 'missingRetailPrice' | 'suspendedAccounts' | 'cancelledAccounts' | 'unmappedSkus';
const ACCOUNT_CHOICES = [
  { value: 'zero', label: 'Set its additions to quantity 0 (back when the account is active again)' },
  { value: 'cancel', label: 'Cancel its additions (dated the run day)' },
  { value: 'bill', label: 'Bill as usual' },
];
/** The billing policies (libs/domain README, "Billing policies"); the first choice of each is the default. */
const POLICIES: { key: Policy; label: string; choices: { value: string; label: string }[] }[] = [
  {
    key: 'missingRetailPrice',
    label: 'A SKU with no retail price',
    choices: [
      { value: 'fail-line', label: 'Do not bill its line, and warn' },
      { value: 'skip-price', label: "Bill it without a price (ConnectWise's own), and warn" },
    ],
  },
  { key: 'suspendedAccounts', label: 'A suspended account', choices: ACCOUNT_CHOICES },
  { key: 'cancelledAccounts', label: 'A cancelled account', choices: ACCOUNT_CHOICES },
  {
    key: 'unmappedSkus',
    label: 'A SKU with no product mapping (Products tab)',
    choices: [
      { value: 'create', label: 'Create its own catalog item (identifier = the SKU)' },
      { value: 'hold', label: 'Hold it, not billed, until it is mapped' },
    ],
  },
];

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

export function Settings({ partnerId, onNext, onBack }: { partnerId: string; onNext: () => void; onBack: () => void }) {
  const params = { params: { path: { partnerId } } };
  const options = useLoad(() => ok(api.GET('/partners/{partnerId}/integration/connectwise-options', params)), [partnerId]);
  const status = useLoad(() => ok(api.GET('/partners/{partnerId}/integration', params)), [partnerId]);
  const [form, setForm] = useState<Save | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string; fields?: { field: string; reason: string }[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const timeZones = useMemo(zones, []);

  useEffect(() => {
    void api.GET('/partners/{partnerId}/integration/settings', params).then(({ data }) => {
      const guessZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      setForm(
        data
          ? { version: data.version, exportMode: data.exportMode, dailyTime: data.dailyTime ?? '02:00', timeZone: data.timeZone, data: data.data, disappearedSku: data.disappearedSku, missingRetailPrice: data.missingRetailPrice, suspendedAccounts: data.suspendedAccounts, cancelledAccounts: data.cancelledAccounts, unmappedSkus: data.unmappedSkus as Save['unmappedSkus'], connectwiseDefaults: { ...data.connectwiseDefaults } as Defaults }
          : { exportMode: 'daily', dailyTime: '02:00', timeZone: guessZone, data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true }, disappearedSku: 'zero', connectwiseDefaults: {} },
      );
    });
  }, [partnerId]);

  if (!form) return <p>Loading settings…</p>;
  const update = (patch: Partial<Save>) => setForm({ ...form, ...patch });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const body: Save = { ...form, ...(form.exportMode === 'manual' ? { dailyTime: undefined } : {}) };
      const saved = await ok(api.PUT('/partners/{partnerId}/integration/settings', { ...params, body }));
      setForm({ ...form, version: saved.version });
      setMessage({ kind: 'success', text: 'Settings saved.' });
      status.reload();
    } catch (error) {
      setMessage({ kind: 'error', text: messageOf(error), fields: error instanceof ApiError ? error.body.errors : undefined });
    } finally {
      setBusy(false);
    }
  };
  const next = status.data?.nextScheduledExport;

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Step 2: Settings</h1>
      <form onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>When to export</legend>
          <div className="radio">
            <input type="radio" id="mode-manual" name="mode" checked={form.exportMode === 'manual'} onChange={() => update({ exportMode: 'manual' })} />
            <label htmlFor="mode-manual">Manually (“Start export now” on the management page)</label>
          </div>
          <div className="radio">
            <input type="radio" id="mode-daily" name="mode" checked={form.exportMode === 'daily'} onChange={() => update({ exportMode: 'daily' })} />
            <label htmlFor="mode-daily">Daily</label>
          </div>
          {form.exportMode === 'daily' ? (
            <div className="inline">
              <div className="field">
                <label htmlFor="daily-time">Time of day</label>
                <input id="daily-time" type="time" value={form.dailyTime ?? ''} onChange={(e) => update({ dailyTime: e.target.value })} required />
              </div>
              <div className="field">
                <label htmlFor="time-zone">Time zone</label>
                <select id="time-zone" value={form.timeZone} onChange={(e) => update({ timeZone: e.target.value })}>
                  {(timeZones.includes(form.timeZone) ? timeZones : [form.timeZone, ...timeZones]).map((z) => (
                    <option key={z}>{z}</option>
                  ))}
                </select>
              </div>
            </div>
          ) : null}
          <p className="hint" aria-live="polite" id="next-run">
            {next ? (
              <>
                Next export: <strong>{formatInZone(next.local, next.timeZone)}</strong> ({next.timeZone}) — {formatInZone(next.utc, 'UTC')} UTC
              </>
            ) : status.data?.exportMode === 'manual' ? (
              'No export is scheduled: exports start when you press “Start export now”.'
            ) : (
              'Save to see the next export.'
            )}
          </p>
        </fieldset>
        <fieldset>
          <legend>What to export</legend>
          {DATA.map((d) => (
            <div className="check" key={d.key}>
              <input type="checkbox" id={`data-${d.key}`} checked={form.data[d.key]} onChange={(e) => update({ data: { ...form.data, [d.key]: e.target.checked } })} />
              <label htmlFor={`data-${d.key}`}>{d.label}</label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>When a SKU disappears from an account</legend>
          <div className="radio">
            <input type="radio" id="sku-zero" name="sku" checked={form.disappearedSku === 'zero'} onChange={() => update({ disappearedSku: 'zero' })} />
            <label htmlFor="sku-zero">Set its addition's quantity to 0 (keeps the history on the agreement)</label>
          </div>
          <div className="radio">
            <input type="radio" id="sku-cancel" name="sku" checked={form.disappearedSku === 'cancel'} onChange={() => update({ disappearedSku: 'cancel' })} />
            <label htmlFor="sku-cancel">Cancel the addition (dated today)</label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Billing policies</legend>
          {POLICIES.map((p) => (
            <div className="field" key={p.key}>
              <label htmlFor={`policy-${p.key}`}>{p.label}</label>
              <select id={`policy-${p.key}`} value={form[p.key] ?? p.choices[0].value} onChange={(e) => update({ [p.key]: e.target.value })}>
                {p.choices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>ConnectWise defaults (read live from ConnectWise)</legend>
          {options.error ? <Alert>{options.error}</Alert> : null}
          {DEFAULTS.map((d) => (
            <div className="field" key={d.key}>
              <label htmlFor={`default-${d.key}`}>{d.label}</label>
              <select
                id={`default-${d.key}`}
                value={form.connectwiseDefaults[d.key] ?? ''}
                onChange={(e) => update({ connectwiseDefaults: { ...form.connectwiseDefaults, [d.key]: e.target.value ? Number(e.target.value) : undefined } })}
              >
                <option value="">{options.loading ? 'Loading…' : 'Choose…'}</option>
                {(options.data?.[d.list] ?? []).map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.parentName ? `${o.parentName} › ${o.name}` : o.name}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
        {message ? (
          <Alert kind={message.kind}>
            {message.text}
            {message.fields?.length ? (
              <ul>
                {message.fields.map((f) => (
                  <li key={f.field}>
                    {f.field}: {f.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        <div className="actions">
          <button type="button" onClick={onBack}>
            Back
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save settings
          </button>
          <button type="button" onClick={onNext} disabled={form.version === undefined}>
            Next: Mapping
          </button>
        </div>
      </form>
    </section>
  );
}
