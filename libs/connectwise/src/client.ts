import { basicAuthorization, type ConnectWiseCredentials } from './auth';
import { type CodebaseCache, defaultCodebaseCache, type CompanyInfo } from './codebase';
import type { CreateContext } from './create';
import { ConnectWiseApi } from './http/api';
import type { RequestEvent, RequestStats } from './http/stats';
import { HttpTransport } from './http/transport';
import { AdditionsResource, AgreementsResource } from './resources/agreements';
import type { ResourceContext } from './resources/collection';
import { CompaniesResource, ContactsResource } from './resources/companies';
import { DocumentsResource } from './resources/documents';
import { CatalogResource, ProcurementSetupResource } from './resources/procurement';
import { SystemResource } from './resources/system';
import { SitePolicy, type ResolvedSite } from './site-policy';
import { ConnectWiseError } from './errors';
import { DestinationPolicy } from '@cwx/outbound';

/**
 * Process-wide settings (they match `loadConnectWiseClientConfig()` from @cwx/config, which can be passed
 * as is) plus hooks. Credentials are separate: one client per tenant.
 */
export interface ConnectWiseClientOptions {
  /** The integration's clientId GUID, sent on every call. */
  clientId: string;
  /** Origins allowed besides ConnectWise's API hosts (`http://127.0.0.1:4010`); plain http on loopback only. */
  extraAllowedOrigins?: readonly string[];
  /** Host names allowed plain http in `extraAllowedOrigins` besides loopback (a simulator on a container network). */
  plainHttpHosts?: readonly string[];
  /**
   * Which addresses the site may resolve to (@cwx/outbound); default: public ones only, so a loopback
   * simulator needs `new DestinationPolicy({ allowPrivate: true })` (OUTBOUND_ALLOW_PRIVATE).
   */
  destinations?: DestinationPolicy;
  /** Per attempt; default 30 000. */
  requestTimeoutMs?: number;
  /** Retries per request after 429 / 5xx / network failures; default 5. Also bounds re-POSTs after a re-find. */
  maxRetries?: number;
  /** Cap on one wait (Retry-After included); default 30 000. */
  retryMaxDelayMs?: number;
  /** First backoff step; default 250. */
  retryBaseDelayMs?: number;
  /** Pin the API version (sends `application/vnd.connectwise.com+json; version=…`); default: latest, plain JSON. */
  apiVersion?: string;
  /** Use this codebase (`v4_6_release/` on premise) instead of companyinfo discovery. */
  codebase?: string;
  /** Where discovered codebases are kept; default one cache per process. */
  codebaseCache?: CodebaseCache;
  /** ConnectWise said 429: the wait (ms) it asked for (Retry-After, uncapped; else the backoff), for a fleet-wide limiter. */
  onThrottle?: (retryAfterMs: number) => void;
  /** After every HTTP attempt (metrics, benchmarks). */
  onRequest?: (event: RequestEvent) => void;
  /** Awaited before every HTTP attempt: the hook for a shared rate limiter. */
  beforeRequest?: (info: { method: string; path: string }) => Promise<void> | void;
}

export const CLIENT_DEFAULTS = {
  requestTimeoutMs: 30_000,
  maxRetries: 5,
  retryMaxDelayMs: 30_000,
  retryBaseDelayMs: 250,
} as const;

/**
 * A ConnectWise Manage client for one tenant (site + company + API member). Throws a `site-not-allowed`
 * ConnectWiseError from the constructor when the site is not on the allow-list.
 */
export class ConnectWiseClient {
  readonly site: ResolvedSite;
  readonly companyId: string;
  readonly companies: CompaniesResource;
  readonly contacts: ContactsResource;
  readonly agreements: AgreementsResource;
  readonly additions: AdditionsResource;
  readonly catalog: CatalogResource;
  readonly procurement: ProcurementSetupResource;
  readonly documents: DocumentsResource;
  readonly system: SystemResource;
  private readonly transport: HttpTransport;
  private readonly api: ConnectWiseApi;

  constructor(credentials: ConnectWiseCredentials, options: ConnectWiseClientOptions) {
    if (!options.clientId) throw new Error('ConnectWise clientId is required');
    if (!credentials.companyId || !credentials.publicKey || !credentials.privateKey) {
      throw new Error('ConnectWise company id, public key and private key are required');
    }
    this.site = new SitePolicy(options.extraAllowedOrigins, { plainHttpHosts: options.plainHttpHosts }).resolve(credentials.site);
    const destinations = options.destinations ?? new DestinationPolicy();
    const problem = destinations.urlProblem(new URL(this.site.origin));
    if (problem) throw new ConnectWiseError({ kind: 'site-not-allowed', message: `The ConnectWise site ${problem}` });
    this.companyId = credentials.companyId.trim();
    const settings = { ...CLIENT_DEFAULTS, ...definedOnly(options), clientId: options.clientId };
    this.transport = new HttpTransport(
      this.site,
      basicAuthorization(this.companyId, credentials.publicKey, credentials.privateKey),
      settings,
      destinations,
    );
    this.api = new ConnectWiseApi(this.transport, this.site, this.companyId, options.codebaseCache ?? defaultCodebaseCache, options.codebase);

    const create: CreateContext = {
      counter: this.transport.counter,
      maxRetries: settings.maxRetries,
      timing: { baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: settings.retryMaxDelayMs },
    };
    const ctx: ResourceContext = { api: this.api, create };
    this.companies = new CompaniesResource(ctx);
    this.contacts = new ContactsResource(ctx);
    this.agreements = new AgreementsResource(ctx);
    this.additions = new AdditionsResource(ctx);
    this.catalog = new CatalogResource(ctx);
    this.procurement = new ProcurementSetupResource(ctx);
    this.documents = new DocumentsResource(ctx);
    this.system = new SystemResource(this.api);
  }

  /** The codebase in use (`v2025_1/`), discovered through companyinfo on first use. */
  codebase(): Promise<string> {
    return this.api.codebase();
  }

  /** `/login/companyinfo/{companyId}` (unauthenticated); null when ConnectWise does not know the company. */
  companyInfo(): Promise<CompanyInfo | null> {
    return this.api.companyInfo();
  }

  /** Requests sent by this client so far, by method and outcome. */
  stats(): RequestStats {
    return this.transport.counter.snapshot();
  }

  resetStats(): void {
    this.transport.counter.reset();
  }

  /** Keeps credentials out of logs that print the client. */
  toJSON(): Record<string, unknown> {
    return { site: this.site.host, companyId: this.companyId };
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
