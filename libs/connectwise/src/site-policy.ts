import { isLoopbackHost } from '@cwx/outbound';
import { ConnectWiseError } from './errors';

/** ConnectWise's cloud API hosts (API-NOTES §1.3). Only https on the default port. */
export const CONNECTWISE_API_HOSTS: readonly string[] = [
  'api-na.myconnectwise.net',
  'api-eu.myconnectwise.net',
  'api-au.myconnectwise.net',
  'api-aus.myconnectwise.net',
  'api-za.myconnectwise.net',
  'api-staging.connectwisedev.com',
];

/** The login (UI) hosts people paste by mistake, mapped to their API host. */
const UI_TO_API_HOST: Readonly<Record<string, string>> = {
  'na.myconnectwise.net': 'api-na.myconnectwise.net',
  'eu.myconnectwise.net': 'api-eu.myconnectwise.net',
  'au.myconnectwise.net': 'api-au.myconnectwise.net',
  'aus.myconnectwise.net': 'api-aus.myconnectwise.net',
  'za.myconnectwise.net': 'api-za.myconnectwise.net',
  'staging.connectwisedev.com': 'api-staging.connectwisedev.com',
};

/** A site that passed the policy: requests go to `origin` and nowhere else. */
export interface ResolvedSite {
  /** `https://api-na.myconnectwise.net` or a configured origin such as `http://127.0.0.1:4010`. */
  origin: string;
  /** `host[:port]`, as typed into the partner's settings. */
  host: string;
}

export interface SitePolicyOptions {
  /**
   * Host names (exactly as in the origin) allowed plain http besides loopback addresses: a simulator on
   * a private container network (`connectwise-sim` in docker-compose.yml). Never a real ConnectWise
   * site: the API keys travel in every request's Authorization header.
   */
  plainHttpHosts?: readonly string[];
}

export class SitePolicy {
  private readonly extraOrigins: ReadonlySet<string>;

  /**
   * @param extraAllowedOrigins origins allowed besides ConnectWise's hosts; plain http only on loopback
   *   or on a host named in `options.plainHttpHosts`.
   */
  constructor(extraAllowedOrigins: readonly string[] = [], options: SitePolicyOptions = {}) {
    this.extraOrigins = new Set(extraAllowedOrigins.map((origin) => parseExtraOrigin(origin, options.plainHttpHosts)));
  }

  /**
   * Accepts `api-na.myconnectwise.net`, `https://api-na.myconnectwise.net/…` or a configured origin's
   * `host:port`; throws a `site-not-allowed` ConnectWiseError (with a hint when one helps) otherwise.
   */
  resolve(site: string): ResolvedSite {
    const input = site.trim();
    if (input.length === 0) throw notAllowed('The ConnectWise site is empty');
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
    let url: URL;
    try {
      url = new URL(hasScheme ? input : `https://${input}`);
    } catch {
      throw notAllowed('The ConnectWise site is not a host name or URL');
    }
    if (url.username || url.password) throw notAllowed('The ConnectWise site must not contain credentials');
    if (url.search || url.hash) throw notAllowed('The ConnectWise site must not contain a query string');
    const hostname = url.hostname.replace(/\.$/, '').toLowerCase();
    const host = url.port ? `${hostname}:${url.port}` : hostname;

    // A configured origin (the simulator, an on-premise server). Without a scheme, try its own.
    for (const protocol of hasScheme ? [url.protocol] : ['https:', 'http:']) {
      const origin = `${protocol}//${host}`;
      if (this.extraOrigins.has(origin)) return { origin, host };
    }

    if (CONNECTWISE_API_HOSTS.includes(hostname)) {
      if (url.protocol !== 'https:') throw notAllowed(`ConnectWise must be reached over https (${hostname})`);
      if (url.port && url.port !== '443') throw notAllowed(`ConnectWise's API is only served on port 443 (${host})`);
      return { origin: `https://${hostname}`, host: hostname };
    }
    const apiHost = UI_TO_API_HOST[hostname];
    if (apiHost) {
      throw notAllowed(`${hostname} is ConnectWise's login site, not its API host`, `use ${apiHost}`);
    }
    throw notAllowed(`${host} is not a ConnectWise API host`, `use one of ${CONNECTWISE_API_HOSTS.join(', ')}`);
  }

  /** Like `resolve`, but returns the site-not-allowed error instead of throwing it. */
  tryResolve(site: string): ResolvedSite | ConnectWiseError {
    try {
      return this.resolve(site);
    } catch (error) {
      if (error instanceof ConnectWiseError) return error;
      throw error;
    }
  }
}

function notAllowed(message: string, hint?: string): ConnectWiseError {
  return new ConnectWiseError({ kind: 'site-not-allowed', message: hint ? `${message}: ${hint}` : message, hint });
}

/**
 * Normalizes a configured origin; rejects paths and credentials, and plain http except on loopback or on
 * a host named in `plainHttpHosts`.
 */
export function parseExtraOrigin(value: string, plainHttpHosts: readonly string[] = []): string {
  const problem = extraOriginProblem(value, plainHttpHosts);
  if (problem) throw new Error(`Allowed ConnectWise origin ${problem}: ${value}`);
  return new URL(value.trim()).origin;
}

/** Why a configured origin is refused (without echoing it), or undefined when it is acceptable. */
export function extraOriginProblem(value: string, plainHttpHosts: readonly string[] = []): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http(s)';
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !plainHttpHosts.some((h) => h.toLowerCase() === url.hostname)) {
    return 'may use plain http only on a loopback address or a host named in CW_PLAIN_HTTP_HOSTS';
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return 'must be scheme://host[:port] only';
  }
  return undefined;
}
