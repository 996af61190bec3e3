import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, ok, sessionEvents, type ApiErrorBody, type Schemas } from './api/client';
import { AccountBilling } from './screens/account-billing';
import { Credentials } from './screens/credentials';
import { Management } from './screens/management';
import { Mapping } from './screens/mapping';
import { Products } from './screens/products';
import { Reconciliation } from './screens/reconciliation';
import { Reports } from './screens/reports';
import { Review } from './screens/review';
import { RunLog } from './screens/run-log';
import { Settings } from './screens/settings';
import { go, useRoute } from './ui';
import './styles.css';

type Session = Schemas['ConsoleSessionResponseDto'];

/** The routes the sign-in leaves before the landing screen is chosen (`#/`, or none). */
const LANDING_ROUTES: Record<string, true> = { '': true, '/': true };
type Gate = { kind: 'loading' } | { kind: 'in'; session: Session } | { kind: 'out'; reason: 'expired' | 'used' | 'none'; message?: string };

const WIZARD = [
  { route: '/setup/credentials', title: 'Credentials' },
  { route: '/setup/settings', title: 'Settings' },
  { route: '/setup/mapping', title: 'Mapping' },
];

function App() {
  const route = useRoute();
  const [gate, setGate] = useState<Gate>({ kind: 'loading' });
  const exchanged = useRef<string | null>(null);

  useEffect(() => {
    const onRefused = (event: Event) => {
      const body = (event as CustomEvent<Partial<ApiErrorBody>>).detail;
      setGate((g) => (g.kind === 'out' ? g : { kind: 'out', reason: body.code === 'session_expired' ? 'expired' : 'none', message: body.message }));
    };
    sessionEvents.addEventListener('refused', onRefused);
    return () => sessionEvents.removeEventListener('refused', onRefused);
  }, []);

  useEffect(() => {
    const code = /^\/sign-in\/([A-Za-z0-9_-]+)$/.exec(route)?.[1];
    if (code) {
      if (exchanged.current === code) return;
      exchanged.current = code;
      // The code is single-use: take it out of the address bar and the history at once.
      window.location.replace(`${window.location.pathname}#/`);
      void api.POST('/auth/console-session', { body: { code } }).then(async ({ data, error }) => {
        if (data) {
          setGate({ kind: 'in', session: data });
          const status = await ok(api.GET('/partners/{partnerId}/integration', { params: { path: { partnerId: data.partnerId } } }));
          // The landing screen replaces only the bare route the sign-in left: a tab the user opened while the
          // status was read stays open (the bare route shows Management already, so a click can come first).
          if (window.location.hash.replace(/^#/, '') in LANDING_ROUTES) go(status.credentialsStored ? '/management' : '/setup/credentials');
        } else {
          setGate({ kind: 'out', reason: 'used', message: (error as ApiErrorBody | undefined)?.message });
        }
      }, () => setGate({ kind: 'out', reason: 'none' }));
      return;
    }
    if (gate.kind === 'loading' && exchanged.current === null) {
      void api.GET('/auth/console-session').then(({ data }) => data && setGate({ kind: 'in', session: data }), () => setGate({ kind: 'out', reason: 'none' }));
    }
  }, [route, gate.kind]);

  if (gate.kind === 'loading') return <main className="center"><p>Signing in…</p></main>;
  if (gate.kind === 'out') return <SignedOut reason={gate.reason} message={gate.message} />;
  return <Shell session={gate.session} route={route} onSignOut={() => void api.DELETE('/auth/console-session').then(() => setGate({ kind: 'out', reason: 'none', message: 'You signed out.' }))} />;
}

function SignedOut({ reason, message }: { reason: 'expired' | 'used' | 'none'; message?: string }) {
  const title = reason === 'expired' ? 'Your session has expired' : reason === 'used' ? 'This console link cannot be used' : 'Sign in to the console';
  return (
    <main className="center" id="main">
      <h1>{title}</h1>
      {message ? <p className="lead">{message}</p> : null}
      <p>
        Open the console again from the partner panel, or in local mode use the one-time link that <code>npm start</code> prints. Each link
        works once and for 15 minutes; a session lasts 8 hours.
      </p>
    </main>
  );
}

function Shell({ session, route, onSignOut }: { session: Session; route: string; onSignOut: () => void }) {
  const partnerId = session.partnerId;
  const tabs = [
    { route: '/setup/credentials', title: 'Setup', active: route.startsWith('/setup') },
    { route: '/mapping', title: 'Mapping', active: route === '/mapping' },
    { route: '/management', title: 'Management', active: route === '/management' || route.startsWith('/runs/') },
    { route: '/billing/products', title: 'Products', active: route === '/billing/products' },
    { route: '/billing/accounts', title: 'Account billing', active: route.startsWith('/billing/accounts') },
    { route: '/review', title: 'Review queue', active: route === '/review' },
    { route: '/reconciliation', title: 'Reconciliation', active: route === '/reconciliation' },
    { route: '/reports', title: 'Reports and alerts', active: route === '/reports' },
  ];
  const step = WIZARD.findIndex((s) => s.route === route);
  let screen;
  if (route === '/setup/credentials') screen = <Credentials partnerId={partnerId} onNext={() => go('/setup/settings')} />;
  else if (route === '/setup/settings') screen = <Settings partnerId={partnerId} onNext={() => go('/setup/mapping')} onBack={() => go('/setup/credentials')} />;
  else if (route === '/setup/mapping') screen = <Mapping partnerId={partnerId} wizard onDone={() => go('/management')} />;
  else if (route === '/mapping') screen = <Mapping partnerId={partnerId} />;
  else if (route === '/reports') screen = <Reports partnerId={partnerId} />;
  else if (route === '/billing/products') screen = <Products partnerId={partnerId} />;
  else if (route === '/billing/accounts' || route.startsWith('/billing/accounts/')) screen = <AccountBilling partnerId={partnerId} accountId={decodeURIComponent(route.slice('/billing/accounts/'.length))} />;
  else if (route === '/review') screen = <Review partnerId={partnerId} />;
  else if (route === '/reconciliation') screen = <Reconciliation partnerId={partnerId} />;
  else if (route.startsWith('/runs/')) screen = <RunLog partnerId={partnerId} runId={route.slice('/runs/'.length)} />;
  else screen = <Management partnerId={partnerId} />;
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <div className="brand">ConnectWise export</div>
        <nav aria-label="Main">
          <ul>
            {tabs.map((t) => (
              <li key={t.route}>
                <a href={`#${t.route}`} aria-current={t.active ? 'page' : undefined}>
                  {t.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{session.partnerName ?? partnerId}</span>
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {step >= 0 ? (
          <nav aria-label="Setup steps" className="steps">
            <ol>
              {WIZARD.map((s, i) => (
                <li key={s.route} className={i === step ? 'current' : i < step ? 'done' : ''}>
                  <a href={`#${s.route}`} aria-current={i === step ? 'step' : undefined}>
                    <span className="num">{i + 1}</span> {s.title}
                  </a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        {screen}
      </main>
    </>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
