import { ConnectWiseError } from './errors';

/** The `/login/companyinfo/{companyId}` body (API-NOTES §1.2); only Codebase is relied on. */
export interface CompanyInfo {
  CompanyName?: string;
  Codebase?: string;
  VersionCode?: string;
  VersionNumber?: string;
  CompanyID?: string;
  IsCloud?: boolean | string;
}

/** Fetches companyinfo: resolves to the body, or null for an unknown company. Throws ConnectWiseError. */
export type CompanyInfoFetcher = (origin: string, companyId: string) => Promise<CompanyInfo | null>;

/**
 * Checks and normalizes a codebase: `v2025_1/`, `v4_6_release/`. Anything else (`../`, `//host/`, a full
 * URL) is refused, because it becomes part of every request URL.
 */
export function normalizeCodebase(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().replace(/^\//, '');
  const withSlash = trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\/$/.test(withSlash) && !withSlash.includes('..') ? withSlash : undefined;
}

/**
 * Codebases per (site origin, company id). Shared by every client of a process so a fleet of short-lived
 * clients asks companyinfo once per tenant; re-discovery after a 404 replaces the entry.
 */
export class CodebaseCache {
  private readonly entries = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<string>>();

  private key(origin: string, companyId: string): string {
    return `${origin}|${companyId}`;
  }

  get(origin: string, companyId: string): string | undefined {
    return this.entries.get(this.key(origin, companyId));
  }

  /** The cached codebase, or one discovered now (concurrent callers share one lookup). */
  async resolve(origin: string, companyId: string, fetcher: CompanyInfoFetcher): Promise<string> {
    return this.get(origin, companyId) ?? this.discover(origin, companyId, fetcher);
  }

  /** Asks companyinfo again, whatever is cached. */
  discover(origin: string, companyId: string, fetcher: CompanyInfoFetcher): Promise<string> {
    const key = this.key(origin, companyId);
    const running = this.inFlight.get(key);
    if (running) return running;
    const lookup = discoverCodebase(origin, companyId, fetcher)
      .then((codebase) => {
        this.entries.set(key, codebase);
        return codebase;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }

  clear(): void {
    this.entries.clear();
  }
}

export async function discoverCodebase(origin: string, companyId: string, fetcher: CompanyInfoFetcher): Promise<string> {
  const info = await fetcher(origin, companyId);
  if (info === null) {
    throw new ConnectWiseError({
      kind: 'unknown-company',
      message: `ConnectWise does not know the company id "${companyId}" on this site`,
      method: 'GET',
      path: '/login/companyinfo',
    });
  }
  const codebase = normalizeCodebase(info.Codebase);
  if (!codebase) {
    throw new ConnectWiseError({
      kind: 'unexpected-response',
      message: 'ConnectWise companyinfo returned no usable Codebase',
      method: 'GET',
      path: '/login/companyinfo',
    });
  }
  return codebase;
}

/** Shared by clients that are not given their own cache. */
export const defaultCodebaseCache = new CodebaseCache();
