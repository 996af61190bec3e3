import { type CodebaseCache, normalizeCodebase, type CompanyInfo } from '../codebase';
import { ConnectWiseError, isConnectWiseError } from '../errors';
import type { ResolvedSite } from '../site-policy';
import type { HttpTransport, TransportRequest, TransportResponse } from './transport';

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface ApiRequest {
  method: TransportRequest['method'];
  /** Path below `apis/3.0`, starting with `/`: `/procurement/catalog/12`. */
  path: string;
  params?: QueryParams;
  data?: unknown;
  binary?: boolean;
  headers?: Record<string, string>;
}

/**
 * Requests below `/{codebase}apis/3.0`. The codebase comes from companyinfo (cached per site and company);
 * after a 404 it is discovered once more and, if it changed (a cloud upgrade), the request is sent again
 * once. A pinned codebase is never re-discovered.
 */
export class ConnectWiseApi {
  constructor(
    private readonly transport: HttpTransport,
    readonly site: ResolvedSite,
    readonly companyId: string,
    private readonly cache: CodebaseCache,
    private readonly pinnedCodebase?: string,
  ) {
    if (pinnedCodebase !== undefined && normalizeCodebase(pinnedCodebase) === undefined) {
      throw new Error(`Not a ConnectWise codebase: ${pinnedCodebase}`);
    }
  }

  /** GET /login/companyinfo/{companyId} without credentials; null for an unknown company. */
  async companyInfo(): Promise<CompanyInfo | null> {
    try {
      const res = await this.transport.send<unknown>({
        method: 'GET',
        url: `/login/companyinfo/${encodeURIComponent(this.companyId)}`,
        displayPath: '/login/companyinfo',
        authenticated: false,
      });
      const body = res.data;
      if (body === null || body === '' || body === 'null') return null;
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw new ConnectWiseError({
          kind: 'unexpected-response',
          message: 'ConnectWise companyinfo did not return a JSON object',
          method: 'GET',
          path: '/login/companyinfo',
        });
      }
      return body;
    } catch (error) {
      // Some servers answer an unknown company with 404 rather than null.
      if (isConnectWiseError(error, 'not-found')) return null;
      throw error;
    }
  }

  /** The codebase requests use now (`v2025_1/`). */
  async codebase(): Promise<string> {
    const pinned = this.pinnedCodebase && normalizeCodebase(this.pinnedCodebase);
    if (pinned) return pinned;
    return this.cache.resolve(this.site.origin, this.companyId, () => this.companyInfo());
  }

  async request<T>(req: ApiRequest): Promise<TransportResponse<T>> {
    const codebase = await this.codebase();
    try {
      return await this.send<T>(req, codebase);
    } catch (error) {
      if (!isConnectWiseError(error, 'not-found') || this.pinnedCodebase) throw error;
      const fresh = await this.cache.discover(this.site.origin, this.companyId, () => this.companyInfo());
      if (fresh === codebase) throw error;
      return this.send<T>(req, fresh);
    }
  }

  private send<T>(req: ApiRequest, codebase: string): Promise<TransportResponse<T>> {
    return this.transport.send<T>({
      method: req.method,
      url: `/${codebase}apis/3.0${req.path}`,
      displayPath: req.path,
      params: req.params,
      data: req.data,
      binary: req.binary,
      headers: req.headers,
      authenticated: true,
    });
  }
}
