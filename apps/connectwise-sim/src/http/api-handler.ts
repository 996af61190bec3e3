import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Simulator } from '../simulator/simulator';
import { ApiError } from './api-error';
import { authenticate, companyOf, requireClientId } from './auth';
import { readBody } from './body';
import type { Reply, RequestContext } from './context';
import { tooManyRequestsBody } from './faults';
import type { RecordedRequest } from './recorder';
import { ApiRouter } from './router';
import { versionCode } from './system-endpoints';

const API_PREFIX = ['apis', '3.0'];

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Serves ConnectWise's `/{codebase}/apis/3.0/…` and `/login/companyinfo/{companyId}` on raw Node
 * request/response objects. Order per API request: codebase (404), injected faults and latency,
 * rate limit (429), clientId (400), credentials (401), route (404/405), security role (403), handler.
 * Every request is recorded once its answer is sent (status 0 when the connection was dropped).
 */
export class ApiHandler {
  private readonly router = new ApiRouter();

  constructor(private readonly sim: Simulator) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const rawUrl = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const url = new URL(rawUrl, 'http://simulator');
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RecordedRequest = {
      method,
      path: url.pathname,
      apiPath: url.pathname,
      query: url.search.replace(/^\?/, ''),
      status: 0,
      time: new Date(started).toISOString(),
      durationMs: 0,
    };
    const clientId = req.headers.clientid;
    if (typeof clientId === 'string' && clientId !== '') entry.clientId = clientId;
    this.recordWhenDone(res, entry, started);
    try {
      if (segments[0]?.toLowerCase() === 'login') {
        entry.route = '/login/companyinfo/{companyId}';
        this.reply(res, this.companyInfo(method, segments));
        return;
      }
      await this.api(req, res, method, segments, url, entry);
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof ApiError) {
        this.reply(res, { status: error.status, body: error.body, headers: { ...error.headers } });
      } else {
        this.reply(res, { status: 500, body: { code: 'ConnectWiseApi', message: 'An unexpected error occurred.' } });
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'ConnectWiseSimulator');
      }
    }
  }

  private async api(req: IncomingMessage, res: ServerResponse, method: string, segments: string[], url: URL, entry: RecordedRequest): Promise<void> {
    const [codebase, ...rest] = segments;
    const isApi = rest.length >= 2 && rest[0].toLowerCase() === API_PREFIX[0] && rest[1] === API_PREFIX[1];
    if (!codebase || !isApi || !this.sim.acceptsCodebase(codebase)) {
      // A codebase the tenant no longer runs (after a cloud upgrade) is a plain 404.
      throw new ApiError(404, { code: 'NotFound', message: `The resource ${url.pathname} was not found.` });
    }
    const apiSegments = rest.slice(2);
    entry.apiPath = `/${apiSegments.join('/')}`;
    const matched = this.router.match(method, apiSegments);
    if (matched) entry.route = matched.route.template;

    const { latencyMs } = this.sim.faults.current;
    if (latencyMs > 0) await sleep(latencyMs);
    await this.sim.faults.hold(method, url.pathname);
    const fault = this.sim.faults.pick(method, url.pathname);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault) {
      this.reply(res, { status: fault.status, body: fault.body, headers: fault.headers });
      return;
    }
    const company = companyOf(req.headers);
    const admitted = this.sim.limiter.take(company ?? '');
    if (!admitted.allowed) {
      throw new ApiError(429, tooManyRequestsBody(admitted.retryAfterSeconds), { 'Retry-After': String(admitted.retryAfterSeconds) });
    }
    requireClientId(req.headers);
    const member = authenticate(req.headers, this.sim.state);
    entry.company = this.sim.state.tenant.companyId;
    entry.member = member.identifier;
    if (!matched) throw new ApiError(404, { code: 'NotFound', message: `The resource ${entry.apiPath} was not found.` });
    if (!matched.handler) {
      throw new ApiError(405, { code: 'MethodNotAllowed', message: `The requested resource does not support http method '${method}'.` });
    }
    const host = req.headers.host ?? 'localhost';
    const hrefBase = `http://${host}/${codebase}/apis/3.0/`;
    let body: Promise<Buffer> | undefined;
    const ctx: RequestContext = {
      sim: this.sim,
      member,
      method,
      params: matched.params,
      query: url.searchParams,
      headers: req.headers,
      req,
      hrefBase,
      selfUrl: `http://${host}${url.pathname}`,
      now: isoSeconds(Date.now()),
      body: () => (body ??= readBody(req)),
    };
    this.reply(res, await matched.handler(ctx));
  }

  /**
   * `GET /login/companyinfo/{companyId}`, no authentication: the six-key object, or 200 with `null`
   * for an unknown company (django-connectwise: "CW returns None if company ID is unknown"). The
   * company id is compared case-sensitively, as for credentials.
   */
  private companyInfo(method: string, segments: string[]): Reply {
    if (segments.length !== 3 || segments[1].toLowerCase() !== 'companyinfo' || method !== 'GET') {
      throw new ApiError(404, { code: 'NotFound', message: 'The resource was not found.' });
    }
    const tenant = this.sim.state.tenant;
    if (decodeURIComponent(segments[2]) !== tenant.companyId) return { status: 200, body: null };
    return {
      status: 200,
      body: {
        CompanyName: tenant.companyName,
        Codebase: tenant.codebase,
        VersionCode: versionCode(tenant.codebase),
        VersionNumber: tenant.versionNumber,
        CompanyID: tenant.companyId,
        IsCloud: tenant.isCloud,
      },
    };
  }

  private reply(res: ServerResponse, reply: Reply): void {
    if (res.headersSent || res.destroyed) return;
    res.statusCode = reply.status;
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.raw) {
      res.setHeader('Content-Length', reply.raw.length);
      res.end(reply.raw);
      return;
    }
    if (reply.status === 204) {
      res.end();
      return;
    }
    const payload = JSON.stringify(reply.body ?? null);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(payload));
    res.end(payload);
  }

  private recordWhenDone(res: ServerResponse, entry: RecordedRequest, started: number): void {
    let done = false;
    const record = (status: number) => {
      if (done) return;
      done = true;
      entry.status = status;
      entry.durationMs = Date.now() - started;
      this.sim.recorder.add(entry);
    };
    res.once('finish', () => record(res.statusCode));
    res.once('close', () => record(res.writableFinished ? res.statusCode : 0));
  }
}
