import { type FormEvent, useEffect, useState } from 'react';
import { api, ApiError, ok, messageOf, type ApiErrorBody, type Schemas } from '../api/client';
import { Alert, formatDateTime } from '../ui';

/** ConnectWise's cloud regions (the API hosts the server allows); anything else is a custom site. */
const REGIONS = [
  { host: 'api-na.myconnectwise.net', label: 'North America (api-na.myconnectwise.net)' },
  { host: 'api-eu.myconnectwise.net', label: 'Europe (api-eu.myconnectwise.net)' },
  { host: 'api-au.myconnectwise.net', label: 'Australia (api-au.myconnectwise.net)' },
  { host: 'api-aus.myconnectwise.net', label: 'Australia, AUS (api-aus.myconnectwise.net)' },
  { host: 'api-za.myconnectwise.net', label: 'South Africa (api-za.myconnectwise.net)' },
  { host: 'api-staging.connectwisedev.com', label: 'Staging (api-staging.connectwisedev.com)' },
];
const CUSTOM = 'custom';

type Field = 'site' | 'companyId' | 'publicKey' | 'privateKey';

/** Which field a rejection is about, from the API's `problem` (or a validation error's field). */
function problemsByField(body: ApiErrorBody): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const e of body.errors ?? []) if (['site', 'companyId', 'publicKey', 'privateKey'].includes(e.field)) out[e.field as Field] = `${e.field} ${e.reason}`;
  switch (body.problem) {
    case 'site_not_allowed':
    case 'site_unreachable':
      out.site = body.message + (body.hint ? ` ${body.hint}` : '');
      break;
    case 'unknown_company':
      out.companyId = body.message;
      break;
    case 'wrong_keys':
      out.publicKey = body.message;
      out.privateKey = 'Check the private key that goes with this public key.';
      break;
    // missing_permissions: listed under the keys (see below), not repeated.
  }
  return out;
}

export function Credentials({ partnerId, onNext }: { partnerId: string; onNext: () => void }) {
  const [choice, setChoice] = useState(REGIONS[0].host);
  const [custom, setCustom] = useState('');
  const [companyId, setCompanyId] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [stored, setStored] = useState<Schemas['CredentialsResponseDto'] | null>(null);
  const [failure, setFailure] = useState<ApiErrorBody | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.GET('/partners/{partnerId}/integration/credentials', { params: { path: { partnerId } } }).then(({ data }) => {
      if (!data) return;
      setStored(data);
      const region = REGIONS.find((r) => r.host === data.site);
      setChoice(region ? region.host : CUSTOM);
      if (!region) setCustom(data.site);
      setCompanyId(data.companyId);
      setPublicKey(data.publicKey);
    });
  }, [partnerId]);

  const fieldErrors = failure ? problemsByField(failure) : {};
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const site = choice === CUSTOM ? custom.trim() : choice;
      const saved = await ok(api.PUT('/partners/{partnerId}/integration/credentials', { params: { path: { partnerId } }, body: { site, companyId: companyId.trim(), publicKey: publicKey.trim(), privateKey } }));
      setStored(saved);
      setPrivateKey('');
    } catch (error) {
      setFailure(error instanceof ApiError ? error.body : { statusCode: 0, code: 'network', message: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  const describedBy = (field: Field, hint?: string) => [hint, fieldErrors[field] ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const error = (field: Field) =>
    fieldErrors[field] ? (
      <p className="field-error" id={`${field}-error`}>
        {fieldErrors[field]}
      </p>
    ) : null;

  return (
    <section aria-labelledby="credentials-title">
      <h1 id="credentials-title">Step 1: ConnectWise credentials</h1>
      <p className="lead">The API member the export signs in as. The keys are checked against ConnectWise before anything is stored.</p>
      {stored ? (
        <Alert kind="success">
          Connected to ConnectWise {stored.connectwiseVersion ?? ''} at {stored.site} (company {stored.companyId}), validated {formatDateTime(stored.validatedAt)}. The
          private key is stored encrypted and is never shown again.
        </Alert>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="site">Site</label>
          <select id="site" value={choice} onChange={(e) => setChoice(e.target.value)} aria-invalid={!!fieldErrors.site && choice !== CUSTOM} aria-describedby={choice !== CUSTOM ? describedBy('site') : undefined}>
            {REGIONS.map((r) => (
              <option key={r.host} value={r.host}>
                {r.label}
              </option>
            ))}
            <option value={CUSTOM}>Custom site…</option>
          </select>
          {choice === CUSTOM ? (
            <>
              <label htmlFor="custom-site">Custom site</label>
              <input id="custom-site" value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="https://api-na.myconnectwise.net" required aria-invalid={!!fieldErrors.site} aria-describedby={describedBy('site', 'custom-site-hint')} />
              <p className="hint" id="custom-site-hint">
                Your ConnectWise API host; on-premise sites must be allowed by the operator.
              </p>
            </>
          ) : null}
          {error('site')}
        </div>
        <div className="field">
          <label htmlFor="companyId">Company ID</label>
          <input id="companyId" value={companyId} onChange={(e) => setCompanyId(e.target.value)} autoComplete="off" required aria-invalid={!!fieldErrors.companyId} aria-describedby={describedBy('companyId', 'companyId-hint')} />
          <p className="hint" id="companyId-hint">
            The company you type when you log in to ConnectWise.
          </p>
          {error('companyId')}
        </div>
        <div className="field">
          <label htmlFor="publicKey">Public key</label>
          <input id="publicKey" value={publicKey} onChange={(e) => setPublicKey(e.target.value)} autoComplete="off" required aria-invalid={!!fieldErrors.publicKey} aria-describedby={describedBy('publicKey')} />
          {error('publicKey')}
          {failure?.missingPermissions?.length ? (
            <div className="field-error" id="missing-permissions" role="alert">
              <p>The API member's security role is missing these permissions (set them to “All” in ConnectWise, System › Security Roles):</p>
              <ul aria-label="Missing permissions">
                {failure.missingPermissions.map((m) => (
                  <li key={`${m.label}-${m.action}`}>
                    {m.label}: {m.action}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="privateKey">Private key</label>
          <input id="privateKey" type="password" value={privateKey} onChange={(e) => setPrivateKey(e.target.value)} autoComplete="new-password" required aria-invalid={!!fieldErrors.privateKey} aria-describedby={describedBy('privateKey', 'privateKey-hint')} />
          <p className="hint" id="privateKey-hint">
            {stored ? 'A private key is stored; it is never shown. Enter it again only to change the credentials.' : 'Shown once in ConnectWise when the API key is created.'}
          </p>
          {error('privateKey')}
        </div>
        {failure && Object.keys(fieldErrors).length === 0 && !failure.missingPermissions?.length ? <Alert>{failure.message}</Alert> : null}
        {failure && Object.keys(fieldErrors).length > 0 ? <Alert>{failure.message}</Alert> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Checking with ConnectWise…' : 'Validate and save'}
          </button>
          <button type="button" onClick={onNext} disabled={!stored}>
            Next: Settings
          </button>
        </div>
      </form>
    </section>
  );
}
