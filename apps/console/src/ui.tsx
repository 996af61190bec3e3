import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, messageOf } from './api/client';

/** The current hash route, e.g. `#/mapping` → `/mapping`. */
export function useRoute(): string {
  const read = () => window.location.hash.replace(/^#/, '') || '/';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(route: string): void {
  window.location.hash = route;
}

/** Loads on mount and on `deps`, with loading/error state and a `reload`. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: string; loading: boolean; reload: () => void; set: (v: T) => void } {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const id = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => id === latest.current && setState({ data, loading: false }),
      (error: unknown) => id === latest.current && setState({ error: messageOf(error), loading: false }),
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const set = useCallback((data: T) => setState({ data, loading: false }), []);
  return { ...state, reload, set };
}

export function Badge({ kind, children }: { kind: string; children: ReactNode }) {
  return <span className={`badge badge-${kind}`}>{children}</span>;
}

export function Alert({ kind = 'error', children }: { kind?: 'error' | 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A table's one row when it has no others: one cell across its `columns`, saying why. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {children}
      </td>
    </tr>
  );
}

/** A modal dialog on the native <dialog> element: focus is trapped and Escape closes it. */
export function Dialog({ title, open, onClose, children }: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="dialog-title">
      <h2 id="dialog-title">{title}</h2>
      {open ? children : null}
    </dialog>
  );
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A scheduled instant as the partner reads it, in a given IANA zone (or UTC). */
export function formatInZone(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const STATUS_KIND: Record<string, string> = {
  succeeded: 'ok',
  nothing_to_export: 'muted',
  partially_failed: 'warn',
  failed: 'bad',
  queued: 'info',
  running: 'info',
  changed: 'info',
  unchanged: 'muted',
  skipped: 'muted',
  sent: 'ok',
  pending: 'info',
  suppressed: 'muted',
  mapped: 'ok',
  unmapped: 'warn',
  suggested: 'info',
  active: 'ok',
  not_configured: 'muted',
  needs_attention: 'bad',
  disabled: 'muted',
};

export function label(value: string): string {
  return value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge kind={STATUS_KIND[status] ?? 'muted'}>{label(status)}</Badge>;
}

/** An API error as the API said it: its message, each field's reason and the hint (or any other error's message). */
export function ErrorAlert({ error }: { error: unknown }) {
  const body = error instanceof ApiError ? error.body : undefined;
  return (
    <Alert>
      <strong>{messageOf(error)}</strong>
      {body?.errors?.length ? (
        <ul className="error-list">
          {body.errors.map((e, i) => (
            <li key={i}>
              <code>{e.field}</code> {e.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {body?.hint ? <p>{body.hint}</p> : null}
    </Alert>
  );
}

export function formatMoney(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A signed monthly amount: "+12.00" or "−3.50". */
export function formatSigned(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  return `${amount > 0 ? '+' : amount < 0 ? '−' : ''}${formatMoney(Math.abs(amount))}`;
}
