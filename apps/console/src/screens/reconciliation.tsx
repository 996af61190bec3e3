import { useState } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { Alert, Badge, EmptyRow, formatMoney, formatSigned, useLoad } from '../ui';
import { AccountPicker } from './account-picker';

type Account = Schemas['ReconciledAccountDto'];
const WINDOW = 20;

/** Reconciliation (issue 19): per account and line, the platform vs ConnectWise and the difference; accounts that differ first; CSV. */
export function Reconciliation({ partnerId }: { partnerId: string }) {
  const [accountId, setAccountId] = useState('');
  const [offset, setOffset] = useState(0);
  const query = accountId ? { accountId } : { limit: WINDOW, offset };
  const view = useLoad(() => ok(api.GET('/partners/{partnerId}/review/reconciliation', { params: { path: { partnerId }, query } })), [partnerId, accountId, offset]);
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const csv = `/partners/${encodeURIComponent(partnerId)}/review/reconciliation.csv?${params.toString()}`;
  const data = view.data;
  return (
    <section aria-labelledby="recon-title">
      <h1 id="recon-title">Reconciliation</h1>
      <p className="lead">What the platform bills and what ConnectWise holds, per account and line, read live from ConnectWise (no export). Accounts that differ come first.</p>
      <div className="filters">
        <AccountPicker partnerId={partnerId} id="recon-account" label="Account" value={accountId} onChange={(a) => (setAccountId(a), setOffset(0))} allTitle={`All accounts, ${WINDOW} at a time`} />
        <button type="button" onClick={view.reload} disabled={view.loading}>
          Read again
        </button>
        <a className="button" href={csv} download="reconciliation.csv">
          Download CSV
        </a>
      </div>
      {view.error ? <Alert>{view.error}</Alert> : null}
      {data ? (
        <p className="hint" aria-live="polite">
          {accountId ? '' : `Accounts ${data.total === 0 ? 0 : data.offset + 1}–${Math.min(data.offset + data.limit, data.total)} of ${data.total}: `}
          {data.differingAccounts === 0 ? 'No account differs.' : `${data.differingAccounts} differ${data.differingAccounts === 1 ? 's' : ''}.`}
        </p>
      ) : null}
      <div aria-busy={view.loading}>
        {(data?.accounts ?? []).map((a) => (
          <AccountLines key={a.accountId} account={a} />
        ))}
        {data && data.accounts.length === 0 ? <p className="empty">No mapped accounts to reconcile.</p> : null}
      </div>
      {!accountId && data ? (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - WINDOW))}>
            Previous
          </button>
          <button type="button" disabled={offset + WINDOW >= data.total} onClick={() => setOffset(offset + WINDOW)}>
            Next
          </button>
        </nav>
      ) : null}
    </section>
  );
}

function AccountLines({ account }: { account: Account }) {
  const id = `recon-${account.accountId.replace(/\W/g, '_')}`;
  // Lines that differ first, as the accounts are.
  const lines = [...account.lines].sort((x, y) => Number(y.differs) - Number(x.differs));
  return (
    <section className="recon-account" aria-labelledby={id} data-account={account.accountId}>
      <h2 id={id}>
        {account.accountName}{' '}
        {account.differing ? <Badge kind="warn">{account.differing} differ{account.differing === 1 ? 's' : ''}</Badge> : <Badge kind="ok">In step</Badge>}{' '}
        <small className="muted">
          agreement #{account.agreementId} · monthly difference {formatSigned(account.monthlyDifference)} · <a href={`#/billing/accounts/${encodeURIComponent(account.accountId)}`}>Billing rules</a>
        </small>
      </h2>
      <table className="grid recon">
        <caption className="sr-only">Lines of {account.accountName}: platform, ConnectWise and the difference</caption>
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Platform qty</th>
            <th scope="col">Platform price</th>
            <th scope="col">ConnectWise qty</th>
            <th scope="col">ConnectWise price</th>
            <th scope="col">Qty difference</th>
            <th scope="col">Monthly difference</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={`${l.sku}-${l.additionId ?? 'none'}`} className={l.differs ? 'differs' : undefined} data-sku={l.sku}>
              <th scope="row">
                <code>{l.sku}</code> {l.differs ? <Badge kind="warn">Differs</Badge> : null}
                {l.additionId ? <small className="muted block">Addition #{l.additionId}</small> : null}
              </th>
              <td>{l.platform ? l.platform.quantity : '—'}</td>
              <td>{formatMoney(l.platform?.price)}</td>
              <td>{l.connectwise ? l.connectwise.quantity : '—'}</td>
              <td>{formatMoney(l.connectwise?.price)}</td>
              <td>{l.quantityDifference > 0 ? `+${l.quantityDifference}` : l.quantityDifference < 0 ? `−${-l.quantityDifference}` : '0'}</td>
              <td>{formatSigned(l.monthlyDifference)}</td>
            </tr>
          ))}
          {lines.length === 0 ? <EmptyRow columns={7}>No lines.</EmptyRow> : null}
        </tbody>
      </table>
    </section>
  );
}
