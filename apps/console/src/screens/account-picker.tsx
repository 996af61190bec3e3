import { useEffect, useState } from 'react';
import { api, ok } from '../api/client';
import { useLoad } from '../ui';

/**
 * A mapped account, chosen from a list narrowed by a search (the accounts endpoint's `q`, 100 at a time, so it
 * stays small at 10,000 accounts). `allTitle`: the option for "no account" (all accounts), or null for none.
 */
export function AccountPicker({ partnerId, id, label, value, onChange, allTitle }: { partnerId: string; id: string; label: string; value: string; onChange: (accountId: string) => void; allTitle: string | null }) {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const t = window.setTimeout(() => setQuery(search.trim()), 150);
    return () => window.clearTimeout(t);
  }, [search]);
  const list = useLoad(
    async () => (await ok(api.GET('/partners/{partnerId}/accounts', { params: { path: { partnerId }, query: { state: 'mapped', pageSize: 100, ...(query ? { q: query } : {}) } } }))).items,
    [partnerId, query],
  );
  const items = list.data ?? [];
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-search`}>Find an account</label>
        <input id={`${id}-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Part of the name" />
      </div>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-busy={list.loading}>
          {allTitle !== null ? <option value="">{allTitle}</option> : <option value="">Choose an account…</option>}
          {value && !items.some((a) => a.accountId === value) ? <option value={value}>{value}</option> : null}
          {items.map((a) => (
            <option key={a.accountId} value={a.accountId}>
              {a.accountName}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
