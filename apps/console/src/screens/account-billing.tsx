import { type FormEvent, useEffect, useState } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { Alert, ErrorAlert, go, useLoad } from '../ui';
import { AccountPicker } from './account-picker';
import { type PriceRule, PriceRuleEditor, type Term, TermSelect } from './price-rule';

type Billing = Schemas['AccountBillingResponseDto'];
interface PriceRow { key: number; sku: string; term?: Term; price: PriceRule }
interface ExclusionRow { key: number; by: 'sku' | 'user'; value: string; reason: string }
interface IncludedRow { key: number; sku: string; term?: Term; quantity: string }

let nextKey = 1;

/** Per-account billing (issue 18): price overrides, exclusions (SKU or user, with a reason) and included quantities. */
export function AccountBilling({ partnerId, accountId }: { partnerId: string; accountId: string }) {
  return (
    <section aria-labelledby="account-billing-title">
      <h1 id="account-billing-title">Account billing</h1>
      <p className="lead">One customer's own prices, what it is not billed for, and what its package includes. Everything else follows the product mapping.</p>
      <div className="filters">
        <AccountPicker partnerId={partnerId} id="billing-account" label="Account" value={accountId} onChange={(a) => go(a ? `/billing/accounts/${encodeURIComponent(a)}` : '/billing/accounts')} allTitle={null} />
      </div>
      {accountId ? <AccountBillingForm key={accountId} partnerId={partnerId} accountId={accountId} /> : <p>Choose an account.</p>}
    </section>
  );
}

function AccountBillingForm({ partnerId, accountId }: { partnerId: string; accountId: string }) {
  const path = { partnerId, accountId };
  const loaded = useLoad(() => ok(api.GET('/partners/{partnerId}/accounts/{accountId}/billing', { params: { path } })), [partnerId, accountId]);
  // The account's SKUs, offered in the SKU fields (read from ConnectWise and the platform; the form works without them).
  const skus = useLoad(async () => {
    const view = await ok(api.GET('/partners/{partnerId}/review/reconciliation', { params: { path: { partnerId }, query: { accountId } } }));
    return [...new Set(view.accounts.flatMap((a) => a.lines.map((l) => l.sku)))].sort();
  }, [partnerId, accountId]);
  const [version, setVersion] = useState(0);
  const [prices, setPrices] = useState<PriceRow[]>([]);
  const [exclusions, setExclusions] = useState<ExclusionRow[]>([]);
  const [included, setIncluded] = useState<IncludedRow[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const take = (b: Billing) => {
    setVersion(b.version);
    setPrices(b.prices.map((p) => ({ key: nextKey++, sku: p.sku, term: p.term, price: p.price })));
    setExclusions(b.exclusions.map((e) => ({ key: nextKey++, by: e.userId ? 'user' : 'sku', value: e.userId ?? e.sku ?? '', reason: e.reason })));
    setIncluded(b.included.map((i) => ({ key: nextKey++, sku: i.sku, term: i.term, quantity: String(i.quantity) })));
  };
  useEffect(() => {
    if (loaded.data) take(loaded.data);
  }, [loaded.data]);

  if (loaded.error) return <Alert>{loaded.error}</Alert>;
  if (!loaded.data) return <p>Loading…</p>;

  const listId = `skus-${accountId.replace(/\W/g, '_')}`;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      const saved = await ok(
        api.PUT('/partners/{partnerId}/accounts/{accountId}/billing', {
          params: { path },
          body: {
            ...(version > 0 ? { version } : {}),
            prices: prices.map((p) => ({ sku: p.sku.trim(), ...(p.term ? { term: p.term } : {}), price: p.price })),
            exclusions: exclusions.map((e) => ({ ...(e.by === 'sku' ? { sku: e.value.trim() } : { userId: e.value.trim() }), reason: e.reason.trim() })),
            included: included.map((i) => ({ sku: i.sku.trim(), ...(i.term ? { term: i.term } : {}), quantity: i.quantity === '' ? Number.NaN : Number(i.quantity) })),
          },
        }),
      );
      take(saved);
      setNotice('Account billing saved: the next run uses it.');
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)}>
      <datalist id={listId}>
        {(skus.data ?? []).map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <fieldset>
        <legend>Prices of this account</legend>
        {prices.length === 0 ? <p className="muted">None: the product mapping's price rules apply.</p> : null}
        {prices.map((p, i) => (
          <div className="inline row" key={p.key}>
            <div className="field">
              <label htmlFor={`price-sku-${p.key}`}>SKU (price {i + 1})</label>
              <input id={`price-sku-${p.key}`} list={listId} value={p.sku} onChange={(e) => setPrices(prices.map((x) => (x.key === p.key ? { ...x, sku: e.target.value } : x)))} />
            </div>
            <TermSelect id={`price-term-${p.key}`} label="Term" value={p.term} onChange={(term) => setPrices(prices.map((x) => (x.key === p.key ? { ...x, term } : x)))} />
            <PriceRuleEditor id={`price-rule-${p.key}`} label="Price rule" value={p.price} defaultTitle={null} onChange={(price) => price && setPrices(prices.map((x) => (x.key === p.key ? { ...x, price } : x)))} />
            <button type="button" className="small" aria-label={`Remove price ${i + 1}`} onClick={() => setPrices(prices.filter((x) => x.key !== p.key))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setPrices([...prices, { key: nextKey++, sku: '', price: { kind: 'fixed', amount: 0 } }])}>
          Add a price
        </button>
      </fieldset>
      <fieldset>
        <legend>Exclusions: not billed</legend>
        {exclusions.length === 0 ? <p className="muted">None.</p> : null}
        {exclusions.map((x, i) => (
          <div className="inline row" key={x.key}>
            <div className="field narrow">
              <label htmlFor={`excl-by-${x.key}`}>Exclude (exclusion {i + 1})</label>
              <select id={`excl-by-${x.key}`} value={x.by} onChange={(e) => setExclusions(exclusions.map((y) => (y.key === x.key ? { ...y, by: e.target.value as 'sku' | 'user' } : y)))}>
                <option value="sku">A SKU</option>
                <option value="user">A user's services</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`excl-value-${x.key}`}>{x.by === 'sku' ? 'SKU' : 'Platform user id'}</label>
              <input id={`excl-value-${x.key}`} list={x.by === 'sku' ? listId : undefined} value={x.value} onChange={(e) => setExclusions(exclusions.map((y) => (y.key === x.key ? { ...y, value: e.target.value } : y)))} />
            </div>
            <div className="field wide">
              <label htmlFor={`excl-reason-${x.key}`}>Reason</label>
              <input id={`excl-reason-${x.key}`} value={x.reason} onChange={(e) => setExclusions(exclusions.map((y) => (y.key === x.key ? { ...y, reason: e.target.value } : y)))} placeholder="Shown in the export log" />
            </div>
            <button type="button" className="small" aria-label={`Remove exclusion ${i + 1}`} onClick={() => setExclusions(exclusions.filter((y) => y.key !== x.key))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setExclusions([...exclusions, { key: nextKey++, by: 'sku', value: '', reason: '' }])}>
          Add an exclusion
        </button>
      </fieldset>
      <fieldset>
        <legend>Included quantity (the customer's package includes N)</legend>
        {included.length === 0 ? <p className="muted">None.</p> : null}
        {included.map((n, i) => (
          <div className="inline row" key={n.key}>
            <div className="field">
              <label htmlFor={`incl-sku-${n.key}`}>SKU (included {i + 1})</label>
              <input id={`incl-sku-${n.key}`} list={listId} value={n.sku} onChange={(e) => setIncluded(included.map((y) => (y.key === n.key ? { ...y, sku: e.target.value } : y)))} />
            </div>
            <TermSelect id={`incl-term-${n.key}`} label="Term" value={n.term} onChange={(term) => setIncluded(included.map((y) => (y.key === n.key ? { ...y, term } : y)))} />
            <div className="field narrow">
              <label htmlFor={`incl-qty-${n.key}`}>Included</label>
              <input id={`incl-qty-${n.key}`} type="number" min={0} step="any" value={n.quantity} onChange={(e) => setIncluded(included.map((y) => (y.key === n.key ? { ...y, quantity: e.target.value } : y)))} />
            </div>
            <button type="button" className="small" aria-label={`Remove included quantity ${i + 1}`} onClick={() => setIncluded(included.filter((y) => y.key !== n.key))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setIncluded([...included, { key: nextKey++, sku: '', quantity: '1' }])}>
          Add an included quantity
        </button>
        <p className="hint">Written as the addition's “less included”: ConnectWise bills the quantity above it.</p>
      </fieldset>
      {failure ? <ErrorAlert error={failure} /> : null}
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save account billing'}
        </button>
      </div>
    </form>
  );
}
