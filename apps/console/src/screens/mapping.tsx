import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { api, ok, messageOf, type Schemas } from '../api/client';
import { Alert, Dialog, EmptyRow, StatusBadge, useLoad } from '../ui';

type Row = Schemas['AccountMappingResponseDto'];
type Tab = 'unmapped' | 'suggested' | 'mapped' | 'all';
const PAGE_SIZE = 50;
const TABS: { tab: Tab; title: string }[] = [
  { tab: 'unmapped', title: 'Unmapped' },
  { tab: 'suggested', title: 'Suggested' },
  { tab: 'mapped', title: 'Mapped' },
  { tab: 'all', title: 'All' },
];

/** Step 3 and the Mapping tab: each customer account's ConnectWise company and agreement. */
export function Mapping({ partnerId, wizard, onDone }: { partnerId: string; wizard?: boolean; onDone?: () => void }) {
  const path = { partnerId };
  const [tab, setTab] = useState<Tab | null>(null);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [exportFilter, setExportFilter] = useState<'' | 'true' | 'false'>('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<{ kind: 'error' | 'success' | 'warning'; text: string } | null>(null);
  const [mapping, setMapping] = useState<Row | null>(null);
  const [unmapping, setUnmapping] = useState<Row | null>(null);
  const [busy, setBusy] = useState(false);

  const counts = useLoad(async () => {
    const count = async (state?: 'unmapped' | 'suggested' | 'mapped') =>
      (await ok(api.GET('/partners/{partnerId}/accounts', { params: { path, query: { pageSize: 1, ...(state ? { state } : {}) } } }))).total;
    const [unmapped, suggested, mapped, all] = await Promise.all([count('unmapped'), count('suggested'), count('mapped'), count()]);
    const counts: Record<Tab, number> = { unmapped, suggested, mapped, all };
    return counts;
  }, [partnerId]);

  // Unmapped accounts first: open on the first tab with work in it.
  useEffect(() => {
    if (tab || !counts.data) return;
    setTab(counts.data.unmapped > 0 ? 'unmapped' : counts.data.suggested > 0 ? 'suggested' : 'all');
  }, [counts.data, tab]);

  // Search as you type, sent 120 ms after the last keystroke.
  useEffect(() => {
    const t = window.setTimeout(() => {
      setQuery(search.trim());
      setPage(1);
    }, 120);
    return () => window.clearTimeout(t);
  }, [search]);

  const list = useLoad(async () => {
    if (!tab) return undefined;
    const result = await ok(
      api.GET('/partners/{partnerId}/accounts', {
        params: { path, query: { page, pageSize: PAGE_SIZE, ...(tab !== 'all' ? { state: tab } : {}), ...(query ? { q: query } : {}), ...(exportFilter ? { export: exportFilter } : {}) } },
      }),
    );
    return { ...result, query };
  }, [partnerId, tab, page, query, exportFilter]);

  const rows = list.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  const chosen = rows.filter((r) => selected.has(r.accountId));
  const refresh = () => {
    list.reload();
    counts.reload();
  };

  const act = async (what: () => Promise<string | void>) => {
    setBusy(true);
    setNotice(null);
    try {
      const text = await what();
      if (text) setNotice({ kind: 'success', text });
    } catch (error) {
      setNotice({ kind: 'error', text: messageOf(error) });
    } finally {
      setBusy(false);
      setSelected(new Set());
      refresh();
    }
  };

  const accept = (row: Row) =>
    ok(api.POST('/partners/{partnerId}/accounts/{accountId}/suggestion/accept', { params: { path: { partnerId, accountId: row.accountId } }, body: { version: row.version, createAgreement: {} } }));
  const reject = (row: Row) => ok(api.POST('/partners/{partnerId}/accounts/{accountId}/suggestion/reject', { params: { path: { partnerId, accountId: row.accountId } }, body: { version: row.version } }));
  const inBulk = async (what: string, items: Row[], one: (row: Row) => Promise<unknown>) => {
    let done = 0;
    const failed: string[] = [];
    for (const row of items) {
      try {
        await one(row);
        done++;
      } catch (error) {
        failed.push(`${row.accountName}: ${messageOf(error)}`);
      }
    }
    if (failed.length) throw new Error(`${what}: ${done} done, ${failed.length} failed — ${failed.join('; ')}`);
    return `${what}: ${done} account${done === 1 ? '' : 's'}.`;
  };
  const setExport = (items: Row[], exportEnabled: boolean) =>
    act(async () => {
      const result = await ok(api.POST('/partners/{partnerId}/accounts/export', { params: { path }, body: { items: items.map((r) => ({ accountId: r.accountId, version: r.version, exportEnabled })) } }));
      return `Export ${exportEnabled ? 'on' : 'off'} for ${items.length} account${items.length === 1 ? '' : 's'}.${'failed' in result && Array.isArray(result.failed) && result.failed.length ? ` ${result.failed.length} could not be changed.` : ''}`;
    });

  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.accountId));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };

  return (
    <section aria-labelledby="mapping-title">
      <h1 id="mapping-title">{wizard ? 'Step 3: Mapping' : 'Mapping'}</h1>
      <p className="lead">Each customer account is exported to one ConnectWise company and agreement. Accept the suggestions, or pick or create the company yourself.</p>
      <div className="toolbar">
        <button type="button" disabled={busy} onClick={() => void act(async () => {
          const s = await ok(api.POST('/partners/{partnerId}/accounts/sync', { params: { path } }));
          return `Accounts read from the platform: ${JSON.stringify(s).includes('added') ? `${(s as { added?: number }).added ?? 0} new` : 'done'}.`;
        })}>
          Read accounts from the platform
        </button>
        <button type="button" disabled={busy} onClick={() => void act(async () => {
          const s = await ok(api.POST('/partners/{partnerId}/suggestions', { params: { path } }));
          return `Suggestions: ${s.suggested} of ${s.examined} accounts matched a ConnectWise company.`;
        })}>
          Find suggestions
        </button>
      </div>
      <div className="tabs" role="tablist" aria-label="Accounts by state">
        {TABS.map((t) => (
          <button key={t.tab} type="button" role="tab" aria-selected={tab === t.tab} onClick={() => (setTab(t.tab), setPage(1), setSelected(new Set()), refresh())}>
            {t.title} <span className="count">{counts.data ? counts.data[t.tab] : '…'}</span>
          </button>
        ))}
      </div>
      <div className="filters">
        <div className="field">
          <label htmlFor="account-search">Search accounts</label>
          <input id="account-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Part of the account name" />
        </div>
        <div className="field">
          <label htmlFor="export-filter">Export</label>
          <select id="export-filter" value={exportFilter} onChange={(e) => (setExportFilter(e.target.value as '' | 'true' | 'false'), setPage(1))}>
            <option value="">On and off</option>
            <option value="true">Export on</option>
            <option value="false">Export off</option>
          </select>
        </div>
      </div>
      <div className="bulk" role="group" aria-label="Bulk actions">
        <span>{chosen.length} selected</span>
        <button type="button" disabled={busy || !chosen.some((r) => r.suggestion)} onClick={() => void act(() => inBulk('Suggestions accepted', chosen.filter((r) => r.suggestion), accept))}>
          Accept suggestions
        </button>
        <button type="button" disabled={busy || !chosen.some((r) => r.suggestion)} onClick={() => void act(() => inBulk('Suggestions rejected', chosen.filter((r) => r.suggestion), reject))}>
          Reject suggestions
        </button>
        <button type="button" disabled={busy || chosen.length === 0} onClick={() => void setExport(chosen, true)}>
          Export on
        </button>
        <button type="button" disabled={busy || chosen.length === 0} onClick={() => void setExport(chosen, false)}>
          Export off
        </button>
      </div>
      {notice ? <Alert kind={notice.kind}>{notice.text}</Alert> : null}
      {list.error ? <Alert>{list.error}</Alert> : null}
      <table className="grid" aria-busy={list.loading} aria-describedby="mapping-summary" data-query={list.data?.query ?? ''}>
        <caption id="mapping-summary" className="sr-only">
          Customer accounts and their ConnectWise company and agreement
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <input type="checkbox" aria-label="Select all accounts on this page" checked={allOnPage} onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.accountId)) : new Set())} />
            </th>
            <th scope="col">Account</th>
            <th scope="col">State</th>
            <th scope="col">ConnectWise company</th>
            <th scope="col">Agreement</th>
            <th scope="col">Suggestion</th>
            <th scope="col">Export</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.accountId} data-account={row.accountId}>
              <td>
                <input type="checkbox" aria-label={`Select ${row.accountName}`} checked={selected.has(row.accountId)} onChange={(e) => toggle(row.accountId, e.target.checked)} />
              </td>
              <th scope="row" className="account">
                {row.accountName}
              </th>
              <td>
                <StatusBadge status={row.state} />
              </td>
              <td>{row.company ? (row.company.name ?? `#${row.company.id}`) : '—'}</td>
              <td>{row.agreement ? (row.agreement.name ?? `#${row.agreement.id}`) : '—'}</td>
              <td>
                {row.suggestion ? (
                  <div className="suggestion">
                    <span aria-hidden="true" className="bulb">
                      ✦
                    </span>
                    <span>
                      <strong>{row.suggestion.companyName ?? `#${row.suggestion.companyId}`}</strong>{' '}
                      <span className="confidence" title="Confidence">
                        {Math.round(row.suggestion.score * 100)}%
                      </span>
                      <br />
                      <small>{row.suggestion.reason}</small>
                    </span>
                    <span className="pair">
                      <button type="button" className="small" disabled={busy} aria-label={`Accept suggestion for ${row.accountName}`} onClick={() => void act(async () => (await accept(row), `${row.accountName} mapped to ${row.suggestion?.companyName ?? 'the suggested company'}, with a new agreement.`))}>
                        Accept
                      </button>
                      <button type="button" className="small" disabled={busy} aria-label={`Reject suggestion for ${row.accountName}`} onClick={() => void act(async () => (await reject(row), `Suggestion for ${row.accountName} rejected.`))}>
                        Reject
                      </button>
                    </span>
                  </div>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <input type="checkbox" aria-label={`Export ${row.accountName}`} checked={row.exportEnabled} disabled={busy} onChange={(e) => void setExport([row], e.target.checked)} />
              </td>
              <td className="row-actions">
                <button type="button" className="small" aria-label={`Map ${row.accountName}`} onClick={() => setMapping(row)}>
                  {row.state === 'mapped' ? 'Change' : 'Map'}
                </button>
                {row.state === 'mapped' ? (
                  <button type="button" className="small" aria-label={`Unmap ${row.accountName}`} onClick={() => setUnmapping(row)}>
                    Unmap
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
          {rows.length === 0 && !list.loading ? <EmptyRow columns={8}>No accounts here.</EmptyRow> : null}
        </tbody>
      </table>
      <nav className="pager" aria-label="Pages">
        <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          Previous
        </button>
        <span aria-live="polite">
          Page {page} of {pages} · {list.data?.total ?? 0} accounts
        </span>
        <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          Next
        </button>
      </nav>
      {wizard ? (
        <div className="actions">
          <button type="button" className="primary" onClick={onDone}>
            Finish: go to Management
          </button>
        </div>
      ) : null}
      <Dialog title={mapping ? `Map ${mapping.accountName}` : 'Map'} open={!!mapping} onClose={() => setMapping(null)}>
        {mapping ? <MapForm partnerId={partnerId} row={mapping} onClose={(text) => (setMapping(null), text && setNotice({ kind: 'success', text }), refresh())} /> : null}
      </Dialog>
      <Dialog title={unmapping ? `Unmap ${unmapping.accountName}?` : 'Unmap'} open={!!unmapping} onClose={() => setUnmapping(null)}>
        {unmapping ? (
          <>
            <p className="warning-text">
              The account will no longer be exported. <strong>Nothing is removed from ConnectWise:</strong> the company, the agreement and its additions stay as they are.
            </p>
            <div className="actions">
              <button type="button" onClick={() => setUnmapping(null)}>
                Keep the mapping
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  const row = unmapping;
                  setUnmapping(null);
                  void act(async () => {
                    const r = await ok(api.POST('/partners/{partnerId}/accounts/{accountId}/unmap', { params: { path: { partnerId, accountId: row.accountId } }, body: { version: row.version } }));
                    return `${row.accountName} unmapped. ${r.warning ?? ''}`;
                  });
                }}
              >
                Unmap
              </button>
            </div>
          </>
        ) : null}
      </Dialog>
    </section>
  );
}

/** Company: existing (type-ahead over ConnectWise) or new; agreement: existing or new with the defaults. */
function MapForm({ partnerId, row, onClose }: { partnerId: string; row: Row; onClose: (notice?: string) => void }) {
  const [companyMode, setCompanyMode] = useState<'existing' | 'new'>('existing');
  const [companyText, setCompanyText] = useState(row.suggestion?.companyName ?? '');
  const [company, setCompany] = useState<{ id: number; name: string } | null>(row.company ? { id: row.company.id, name: row.company.name ?? `#${row.company.id}` } : null);
  const [results, setResults] = useState<Schemas['ConnectWiseCompanyResponseDto'][]>([]);
  const [active, setActive] = useState(-1);
  const [newName, setNewName] = useState(row.accountName.slice(0, 50));
  const [newCity, setNewCity] = useState('');
  const [agreementMode, setAgreementMode] = useState<'existing' | 'new'>('new');
  const [agreementId, setAgreementId] = useState<number | null>(null);
  const [exportEnabled, setExportEnabled] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    if (companyMode !== 'existing' || (company && company.name === companyText)) return;
    const id = ++seq.current;
    const t = window.setTimeout(() => {
      void api.GET('/partners/{partnerId}/connectwise/companies', { params: { path: { partnerId }, query: { q: companyText } } }).then(({ data, error: e }) => {
        if (id !== seq.current) return;
        setResults(data?.items ?? []);
        setActive(-1);
        if (e) setError((e as { message?: string }).message ?? 'ConnectWise could not be searched');
      });
    }, 200);
    return () => window.clearTimeout(t);
  }, [companyText, companyMode, company, partnerId]);

  const agreements = useLoad(
    async () => (company && companyMode === 'existing' ? (await ok(api.GET('/partners/{partnerId}/connectwise/companies/{companyId}/agreements', { params: { path: { partnerId, companyId: company.id } } }))).items : []),
    [company?.id, companyMode],
  );
  const listboxId = useMemo(() => `companies-${row.accountId}`, [row.accountId]);
  const pick = (c: { id: number; name: string }) => {
    setCompany(c);
    setCompanyText(c.name);
    setResults([]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (companyMode === 'existing' && !company) return setError('Pick a ConnectWise company from the list, or create a new one.');
    if (agreementMode === 'existing' && !agreementId) return setError('Pick an agreement, or create a new one.');
    setBusy(true);
    try {
      const result = await ok(
        api.PUT('/partners/{partnerId}/accounts/{accountId}/mapping', {
          params: { path: { partnerId, accountId: row.accountId } },
          body: {
            version: row.version,
            exportEnabled,
            ...(companyMode === 'existing' ? { companyId: company?.id } : { createCompany: { name: newName.trim(), city: newCity.trim() || undefined } }),
            ...(agreementMode === 'existing' ? { agreementId: agreementId ?? undefined } : { createAgreement: {} }),
          },
        }),
      );
      const created = [result.createdCompany ? `company “${result.createdCompany.name}”` : '', result.createdAgreement ? `agreement “${result.createdAgreement.name}”` : ''].filter(Boolean);
      onClose(`${row.accountName} mapped${created.length ? `; created in ConnectWise: ${created.join(' and ')}` : ''}.`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>ConnectWise company</legend>
        <div className="radio">
          <input type="radio" id="company-existing" checked={companyMode === 'existing'} onChange={() => setCompanyMode('existing')} />
          <label htmlFor="company-existing">An existing company</label>
        </div>
        {companyMode === 'existing' ? (
          <div className="field combo">
            <label htmlFor="company-search">Company</label>
            <input
              id="company-search"
              role="combobox"
              aria-expanded={results.length > 0}
              aria-controls={listboxId}
              aria-autocomplete="list"
              aria-activedescendant={active >= 0 ? `${listboxId}-${active}` : undefined}
              value={companyText}
              autoComplete="off"
              onChange={(e) => (setCompanyText(e.target.value), setCompany(null))}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') {
                  e.preventDefault();
                  setActive(Math.min(active + 1, results.length - 1));
                } else if (e.key === 'ArrowUp') {
                  e.preventDefault();
                  setActive(Math.max(active - 1, 0));
                } else if (e.key === 'Enter' && active >= 0 && results[active]) {
                  e.preventDefault();
                  pick(results[active]);
                } else if (e.key === 'Escape' && results.length) {
                  e.preventDefault();
                  setResults([]);
                }
              }}
            />
            <ul id={listboxId} role="listbox" aria-label="ConnectWise companies" className="options" hidden={results.length === 0}>
              {results.map((c, i) => (
                <li key={c.id} id={`${listboxId}-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => (e.preventDefault(), pick(c))}>
                  {c.name} {c.identifier ? <small>({c.identifier})</small> : null}
                </li>
              ))}
            </ul>
            <p className="hint">{company ? `Chosen: ${company.name} (#${company.id})` : 'Type part of the name, then choose with ↓ and Enter.'}</p>
          </div>
        ) : null}
        <div className="radio">
          <input type="radio" id="company-new" checked={companyMode === 'new'} onChange={() => (setCompanyMode('new'), setAgreementMode('new'))} />
          <label htmlFor="company-new">A new company, created now in ConnectWise</label>
        </div>
        {companyMode === 'new' ? (
          <div className="inline">
            <div className="field">
              <label htmlFor="new-company-name">Name</label>
              <input id="new-company-name" value={newName} maxLength={50} onChange={(e) => setNewName(e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="new-company-city">City</label>
              <input id="new-company-city" value={newCity} onChange={(e) => setNewCity(e.target.value)} required aria-describedby="city-hint" />
              <p className="hint" id="city-hint">
                ConnectWise needs an address field for a new company.
              </p>
            </div>
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Agreement</legend>
        <div className="radio">
          <input type="radio" id="agreement-new" checked={agreementMode === 'new'} onChange={() => setAgreementMode('new')} />
          <label htmlFor="agreement-new">A new agreement (type and billing cycle from the settings)</label>
        </div>
        <div className="radio">
          <input type="radio" id="agreement-existing" checked={agreementMode === 'existing'} disabled={companyMode === 'new'} onChange={() => setAgreementMode('existing')} />
          <label htmlFor="agreement-existing">An existing agreement of the company</label>
        </div>
        {agreementMode === 'existing' ? (
          <div className="field">
            <label htmlFor="agreement-pick">Agreement</label>
            <select id="agreement-pick" value={agreementId ?? ''} onChange={(e) => setAgreementId(e.target.value ? Number(e.target.value) : null)}>
              <option value="">{agreements.loading ? 'Loading…' : company ? 'Choose…' : 'Choose a company first'}</option>
              {(agreements.data ?? []).map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                  {a.typeName ? ` (${a.typeName})` : ''}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </fieldset>
      <div className="check">
        <input type="checkbox" id="map-export" checked={exportEnabled} onChange={(e) => setExportEnabled(e.target.checked)} />
        <label htmlFor="map-export">Export this account</label>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      <div className="actions">
        <button type="button" onClick={() => onClose()}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save mapping'}
        </button>
      </div>
    </form>
  );
}
