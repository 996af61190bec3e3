import { type FormEvent, useMemo, useState } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { Alert, EmptyRow, ErrorAlert, useLoad } from '../ui';
import { type PriceRule, PriceRuleEditor, type Term, TermSelect } from './price-rule';

type Action = Schemas['ProductMappingDto']['action'];
type SkuInfo = Schemas['SkuCatalogSuggestionResponseDto'];
type Candidate = { catalogItemId: number; identifier: string; description?: string | null; score?: number; reason?: string };

/** One mapping being edited: `action` '' is the partner's default for unmapped SKUs. */
interface Row {
  key: number;
  sku: string;
  term?: Term;
  action: Action | '';
  catalogItemId?: number;
  price?: PriceRule;
}

const ACTIONS: { action: Action; title: string }[] = [
  { action: 'item', title: 'An existing catalog item' },
  { action: 'create', title: 'Create its own catalog item' },
  { action: 'hold', title: 'Hold until mapped (not billed)' },
  { action: 'do-not-bill', title: 'Do not bill' },
];

let nextKey = 1;

/** Product mapping (issue 18): what each platform SKU becomes in ConnectWise, its price rule and term, and how bundles count. */
export function Products({ partnerId }: { partnerId: string }) {
  const path = { partnerId };
  const [rows, setRows] = useState<Row[] | null>(null);
  const [bundles, setBundles] = useState<Record<number, 'sum' | 'distinct-users'>>({});
  const [search, setSearch] = useState('');
  const [onlyUnmapped, setOnlyUnmapped] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const stored = useLoad(async () => {
    const data = await ok(api.GET('/partners/{partnerId}/billing/products', { params: { path } }));
    setRows(data.products.map((p) => ({ key: nextKey++, sku: p.sku, term: p.term, action: p.action, catalogItemId: p.catalogItemId, price: p.price })));
    setBundles(Object.fromEntries(data.bundles.map((b) => [b.catalogItemId, b.quantity])));
    return data;
  }, [partnerId]);
  // The SKUs and the catalog's suggestions come from ConnectWise: the page works without them (the stored mappings only).
  const catalog = useLoad(() => ok(api.GET('/partners/{partnerId}/catalog/suggestions', { params: { path } })), [partnerId]);

  const infos = useMemo(() => new Map((catalog.data?.items ?? []).map((i) => [i.sku, i])), [catalog.data]);
  const skus = useMemo(() => {
    const all = new Set([...(catalog.data?.items ?? []).map((i) => i.sku), ...(rows ?? []).map((r) => r.sku)]);
    return [...all].sort();
  }, [catalog.data, rows]);

  if (!rows) return <section aria-labelledby="products-title"><h1 id="products-title">Products</h1>{stored.error ? <Alert>{stored.error}</Alert> : <p>Loading…</p>}</section>;

  const defaultTitle = stored.data?.unmappedSkus === 'hold' ? 'Default: hold until mapped' : 'Default: create its own catalog item';
  const update = (key: number, change: Partial<Row>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const rowsOf = (sku: string): Row[] => {
    const own = rows.filter((r) => r.sku === sku);
    return own.length ? own : [{ key: -1, sku, action: '' }];
  };
  const edit = (row: Row, change: Partial<Row>) => {
    if (row.key === -1) setRows([...rows, { ...row, key: nextKey++, ...change }]);
    else update(row.key, change);
  };
  const q = search.trim().toLowerCase();
  const shown = skus.filter((sku) => {
    if (q && !sku.toLowerCase().includes(q) && !(infos.get(sku)?.name ?? '').toLowerCase().includes(q)) return false;
    if (onlyUnmapped && rows.some((r) => r.sku === sku && r.action !== '')) return false;
    return true;
  });

  // Catalog items holding several SKUs (terms of one SKU do not make a bundle).
  const byItem = new Map<number, Set<string>>();
  for (const r of rows) if (r.action === 'item' && r.catalogItemId) byItem.set(r.catalogItemId, (byItem.get(r.catalogItemId) ?? new Set()).add(r.sku));
  const bundleItems = [...byItem].filter(([, members]) => members.size > 1);
  const itemName = (id: number) => {
    for (const info of infos.values()) for (const c of candidatesOf(info)) if (c.catalogItemId === id) return `${c.identifier}${c.description ? ` — ${c.description}` : ''}`;
    return `Catalog item #${id}`;
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaveError(null);
    setNotice(null);
    try {
      const products = rows
        .filter((r) => r.action !== '' || r.price)
        .map((r) => ({
          sku: r.sku,
          ...(r.term ? { term: r.term } : {}),
          action: (r.action || (stored.data?.unmappedSkus === 'hold' ? 'hold' : 'create')),
          ...(r.action === 'item' ? { catalogItemId: r.catalogItemId } : {}),
          ...(r.price ? { price: r.price } : {}),
        }));
      const saved = await ok(
        api.PUT('/partners/{partnerId}/billing/products', {
          params: { path },
          body: { products, bundles: bundleItems.map(([catalogItemId]) => ({ catalogItemId, quantity: bundles[catalogItemId] ?? 'sum' })) },
        }),
      );
      stored.set(saved);
      setNotice(`Product mapping saved: ${saved.products.length} mapping${saved.products.length === 1 ? '' : 's'}, ${saved.bundles.length} bundle${saved.bundles.length === 1 ? '' : 's'}. The next run moves the lines.`);
    } catch (error) {
      setSaveError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="products-title">
      <h1 id="products-title">Products</h1>
      <p className="lead">
        Each platform SKU lands on a ConnectWise catalog item: one of yours (several SKUs on one item make a bundle), one created for it, or none until you map
        it. A price rule here applies to every account unless the account has its own.
      </p>
      {catalog.error ? <Alert kind="warning">The ConnectWise catalog could not be read ({catalog.error}): only the SKUs already mapped are listed, without suggestions.</Alert> : null}
      {catalog.data ? (
        <p className="hint">
          {skus.length} SKUs · {catalog.data.catalogItems} active catalog items in ConnectWise · unmapped SKUs: {defaultTitle.replace('Default: ', '')} (<a href="#/setup/settings">Settings</a>)
        </p>
      ) : null}
      <form onSubmit={(e) => void save(e)}>
        <div className="filters">
          <div className="field">
            <label htmlFor="sku-search">Search SKUs</label>
            <input id="sku-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="SKU or name" />
          </div>
          <div className="check">
            <input id="only-unmapped" type="checkbox" checked={onlyUnmapped} onChange={(e) => setOnlyUnmapped(e.target.checked)} />
            <label htmlFor="only-unmapped">Only SKUs without a mapping</label>
          </div>
        </div>
        <table className="grid products" aria-busy={catalog.loading}>
          <caption className="sr-only">Platform SKUs and their ConnectWise catalog item, term and price rule</caption>
          <thead>
            <tr>
              <th scope="col">SKU</th>
              <th scope="col">Term</th>
              <th scope="col">Lands on</th>
              <th scope="col">Price rule</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.flatMap((sku) => {
              const info = infos.get(sku);
              const own = rowsOf(sku);
              return own.map((row, i) => {
                const id = `p-${row.key === -1 ? sku.replace(/\W/g, '_') : row.key}`;
                const what = `${sku}${row.term ? ` (${row.term})` : ''}`;
                return (
                  <tr key={`${sku}-${row.key}`} data-sku={sku}>
                    {i === 0 ? (
                      <th scope="row" rowSpan={own.length} className="sku">
                        <code>{sku}</code>
                        {info ? <small className="muted block">{info.name}</small> : null}
                      </th>
                    ) : null}
                    <td>
                      <TermSelect id={`${id}-term`} label={`Term of ${what}`} compact value={row.term} onChange={(term) => edit(row, { term })} />
                    </td>
                    <td>
                      <div className="field">
                        <label htmlFor={`${id}-action`} className="sr-only">
                          Mapping of {what}
                        </label>
                        <select id={`${id}-action`} value={row.action} onChange={(e) => edit(row, { action: e.target.value as Action | '', ...(e.target.value === 'item' && !row.catalogItemId && info?.suggestion ? { catalogItemId: info.suggestion.catalogItemId } : {}) })}>
                          <option value="">{defaultTitle}</option>
                          {ACTIONS.map((a) => (
                            <option key={a.action} value={a.action}>
                              {a.title}
                            </option>
                          ))}
                        </select>
                      </div>
                      {row.action === 'item' ? <CatalogPicker id={`${id}-item`} what={what} info={info} value={row.catalogItemId} onChange={(catalogItemId) => edit(row, { catalogItemId })} /> : null}
                      {row.action !== 'item' && info?.suggestion ? (
                        <div className="suggestion">
                          <span aria-hidden="true" className="bulb">
                            ✦
                          </span>
                          <span>
                            <strong>{info.suggestion.identifier}</strong> <span className="confidence">{Math.round(info.suggestion.score * 100)}%</span>
                            <br />
                            <small>{info.suggestion.reason}</small>
                          </span>
                          <button type="button" className="small" aria-label={`Use suggestion for ${what}`} onClick={() => edit(row, { action: 'item', catalogItemId: info.suggestion?.catalogItemId })}>
                            Use
                          </button>
                        </div>
                      ) : null}
                      {info?.current ? <small className="muted block">Exports use {info.current.identifier} today</small> : null}
                    </td>
                    <td>
                      {row.action === 'hold' || row.action === 'do-not-bill' ? (
                        <span className="muted">Not billed</span>
                      ) : (
                        <PriceRuleEditor id={`${id}-price`} label={`Price rule of ${what}`} compact value={row.price} defaultTitle="Default (platform retail)" onChange={(price) => edit(row, { price })} />
                      )}
                    </td>
                    <td className="row-actions">
                      {row.key !== -1 && own.length > 1 ? (
                        <button type="button" className="small" aria-label={`Remove the ${row.term ?? 'every-term'} mapping of ${sku}`} onClick={() => setRows(rows.filter((r) => r.key !== row.key))}>
                          Remove
                        </button>
                      ) : null}
                      {i === own.length - 1 && own.length < 3 ? (
                        <button
                          type="button"
                          className="small"
                          aria-label={`Add a term of its own for ${sku}`}
                          onClick={() => {
                            const used = new Set(own.map((r) => r.term));
                            const term: Term = used.has('monthly') ? 'annual' : 'monthly';
                            const base = row.key === -1 ? [{ ...row, key: nextKey++ }] : [];
                            setRows([...rows, ...base, { key: nextKey++, sku, term, action: row.action, catalogItemId: row.catalogItemId, price: row.price }]);
                          }}
                        >
                          Add term
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              });
            })}
            {shown.length === 0 && !catalog.loading ? <EmptyRow columns={5}>No SKUs here.</EmptyRow> : null}
          </tbody>
        </table>
        {bundleItems.length ? (
          <fieldset>
            <legend>Bundles: catalog items with several SKUs</legend>
            {bundleItems.map(([itemId, members]) => (
              <div className="field" key={itemId}>
                <label htmlFor={`bundle-${itemId}`}>
                  {itemName(itemId)} ({[...members].join(', ')}) counts
                </label>
                <select id={`bundle-${itemId}`} value={bundles[itemId] ?? 'sum'} onChange={(e) => setBundles({ ...bundles, [itemId]: e.target.value as 'sum' | 'distinct-users' })}>
                  <option value="sum">The sum of its SKUs</option>
                  <option value="distinct-users">The distinct users holding any of them</option>
                </select>
              </div>
            ))}
          </fieldset>
        ) : null}
        {saveError ? <ErrorAlert error={saveError} /> : null}
        {notice ? <Alert kind="success">{notice}</Alert> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save product mapping'}
          </button>
        </div>
      </form>
    </section>
  );
}

function candidatesOf(info: SkuInfo | undefined): Candidate[] {
  if (!info) return [];
  const out: Candidate[] = [];
  const add = (c: Candidate) => out.some((o) => o.catalogItemId === c.catalogItemId) || out.push(c);
  if (info.suggestion) add(info.suggestion);
  for (const c of info.ambiguity?.candidates ?? []) add(c);
  if (info.current) add({ catalogItemId: info.current.catalogItemId, identifier: info.current.identifier, reason: 'used by the exports today' });
  return out;
}

/** The catalog item of a SKU: its suggestion and candidates from the catalog, or any item by its ConnectWise id. */
function CatalogPicker({ id, what, info, value, onChange }: { id: string; what: string; info: SkuInfo | undefined; value: number | undefined; onChange: (id: number | undefined) => void }) {
  const candidates = candidatesOf(info);
  const known = value !== undefined && candidates.some((c) => c.catalogItemId === value);
  const [other, setOther] = useState(!known && value !== undefined);
  return (
    <div className="catalog-pick">
      <div className="field">
        <label htmlFor={`${id}-pick`} className="sr-only">
          Catalog item for {what}
        </label>
        <select
          id={`${id}-pick`}
          value={other ? 'other' : (value ?? '')}
          onChange={(e) => {
            if (e.target.value === 'other') return setOther(true);
            setOther(false);
            onChange(e.target.value ? Number(e.target.value) : undefined);
          }}
        >
          <option value="">Choose a catalog item…</option>
          {candidates.map((c) => (
            <option key={c.catalogItemId} value={c.catalogItemId}>
              {c.identifier}
              {c.description ? ` — ${c.description}` : ''}
              {c.score !== undefined ? ` (${Math.round(c.score * 100)}%: ${c.reason})` : c.reason ? ` (${c.reason})` : ''}
            </option>
          ))}
          <option value="other">Another item, by its ConnectWise id…</option>
        </select>
      </div>
      {other ? (
        <div className="field narrow">
          <label htmlFor={`${id}-id`}>Catalog item id for {what}</label>
          <input id={`${id}-id`} type="number" min={1} value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : undefined)} />
        </div>
      ) : null}
      {info?.ambiguity ? <small className="muted block">{info.ambiguity.reason}</small> : null}
    </div>
  );
}

