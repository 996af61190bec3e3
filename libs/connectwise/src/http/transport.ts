import axios, { type AxiosError, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import axiosRetry from 'axios-retry';
import { metrics } from '@cwx/observability';
import type { DestinationPolicy } from '@cwx/outbound';
import { ConnectWiseError, isConversionFailure, kindForStatus, parseErrorBody, toConnectWiseError } from '../errors';
import { parseRetryAfter, retryDelay, shouldRetry, type RetryTiming } from '../retry';
import type { ResolvedSite } from '../site-policy';
import { RequestCounter, type AttemptOutcome, type RequestEvent } from './stats';

export interface TransportOptions {
  /** The integration's clientId, sent on every request. */
  clientId: string;
  requestTimeoutMs: number;
  /** Retries after a 429, 5xx or network failure (see retry.ts for which methods). */
  maxRetries: number;
  /** Cap on one wait, Retry-After included. */
  retryMaxDelayMs: number;
  /** First backoff step; default 250 ms. */
  retryBaseDelayMs?: number;
  /** Pin the API version (`2025.8`) with ConnectWise's vendor media type; default: plain JSON, latest models. */
  apiVersion?: string;
  /**
   * Called on every 429 with the wait ConnectWise asked for (its Retry-After, not capped by retryMaxDelayMs;
   * the backoff when it gave none), so a fleet can hold off together for as long as it was told, even
   * when this client's own retry comes sooner (its retry then waits on the fleet's pause, in beforeRequest).
   */
  onThrottle?: (retryAfterMs: number) => void;
  /** Called after every HTTP attempt (for metrics); must not throw. */
  onRequest?: (event: RequestEvent) => void;
  /** Awaited before every attempt: the place for a shared rate limiter. */
  beforeRequest?: (info: { method: string; path: string }) => Promise<void> | void;
}

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path below the origin, e.g. `/v2025_1/apis/3.0/company/companies`. */
  url: string;
  /** Path shown in errors and events (no codebase, no query). */
  displayPath: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
  /** Send the Basic Authorization header (false only for companyinfo). */
  authenticated: boolean;
  binary?: boolean;
  headers?: Record<string, string>;
}

export interface TransportResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string | undefined>;
}

// Per-request bookkeeping rides on the axios config under plain keys (axios drops symbol keys when merging).
const DISPLAY_PATH = 'cwxDisplayPath';
const AUTHENTICATED = 'cwxAuthenticated';
const STARTED_AT = 'cwxStartedAt';

type TaggedConfig = InternalAxiosRequestConfig & {
  [DISPLAY_PATH]?: string;
  [AUTHENTICATED]?: boolean;
  [STARTED_AT]?: number;
};

/** `a=1&conditions=identifier%20%3D%20%22X%22`: every reserved character percent-encoded, spaces as %20. */
export function serialiseParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v as string | number | boolean))}`)
    .join('&');
}

/**
 * One axios instance per client: fixed origin, no redirects, timeout, clientId, retries by axios-retry with
 * our own policy, and every failure turned into a hand-built ConnectWiseError.
 */
export class HttpTransport {
  private readonly http: AxiosInstance;
  readonly counter = new RequestCounter();
  /** The wait decided for each 429 error, read back by axios-retry's retryDelay. */
  private readonly throttleWaits = new WeakMap<object, number>();

  constructor(site: ResolvedSite, authorization: string, private readonly options: TransportOptions, destinations: DestinationPolicy) {
    const timing: RetryTiming = { baseDelayMs: options.retryBaseDelayMs ?? 250, maxDelayMs: options.retryMaxDelayMs };
    this.http = axios.create({
      baseURL: site.origin,
      timeout: options.requestTimeoutMs,
      maxRedirects: 0,
      proxy: false,
      // Every new socket resolves the site through the destination policy (no DNS rebinding to an inside address).
      httpAgent: destinations.agentFor('http:', { keepAlive: true }),
      httpsAgent: destinations.agentFor('https:', { keepAlive: true }),
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      paramsSerializer: { serialize: (p) => serialiseParams(p as Record<string, unknown>) },
      headers: {
        clientId: options.clientId,
        Accept: options.apiVersion ? `application/vnd.connectwise.com+json; version=${options.apiVersion}` : 'application/json',
        'Cache-Control': 'no-cache',
      },
    });

    // The Authorization header lives only in this closure and in per-request configs that never leave here.
    this.http.interceptors.request.use(async (config: TaggedConfig) => {
      if (config[AUTHENTICATED]) config.headers.set('Authorization', authorization);
      await options.beforeRequest?.({ method: (config.method ?? 'get').toUpperCase(), path: config[DISPLAY_PATH] ?? '' });
      config[STARTED_AT] = Date.now();
      return config;
    });
    // Registered before axios-retry: sees every attempt exactly once.
    this.http.interceptors.response.use(
      (response) => {
        this.recordAttempt(response.config as TaggedConfig, response.status, 'ok');
        return response;
      },
      (error: unknown) => {
        if (axios.isAxiosError(error) && error.config) {
          this.recordAttempt(error.config as TaggedConfig, error.response?.status, attemptOutcome(error));
          if (error.response?.status === 429) this.throttled(error, timing);
        }
        // rethrown untouched for axios-retry, which needs the AxiosError
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
    );

    axiosRetry(this.http, {
      retries: options.maxRetries,
      shouldResetTimeout: true,
      retryCondition: (error) =>
        shouldRetry({
          method: (error.config?.method ?? 'get').toUpperCase(),
          status: error.response?.status,
          networkCode: error.code,
          conversionFailure: error.response ? isConversionFailure(parseErrorBody(error.response.data)) : false,
        }),
      // A 429's wait was fixed (and announced) when it arrived; everything else backs off here.
      retryDelay: (retryCount, error) =>
        this.throttleWaits.get(error) ?? retryDelay(retryCount, parseRetryAfter(error.response?.headers['retry-after']), timing),
      onRetry: () => this.counter.retry(),
    });
  }

  /**
   * Every 429 is announced through onThrottle with the wait ConnectWise asked for, the last one included
   * (the retries may be spent, but the fleet should still hold off). This client's own retry waits at most
   * retryMaxDelayMs.
   */
  private throttled(error: AxiosError, timing: RetryTiming): void {
    const retry = (error.config?.['axios-retry']?.retryCount ?? 0) + 1;
    const askedMs = parseRetryAfter(error.response?.headers['retry-after']);
    const waitMs = retryDelay(retry, askedMs, timing);
    this.throttleWaits.set(error, waitMs);
    this.counter.throttle(waitMs);
    metrics.connectwiseThrottled.inc();
    metrics.connectwiseRetryAfterSeconds.inc(waitMs / 1000);
    try {
      this.options.onThrottle?.(askedMs ?? waitMs);
    } catch {
      // a broken hook must not break the request
    }
  }

  private recordAttempt(config: TaggedConfig, status: number | undefined, outcome: AttemptOutcome): void {
    const event: RequestEvent = {
      method: (config.method ?? 'get').toUpperCase(),
      path: config[DISPLAY_PATH] ?? '',
      status,
      outcome,
      durationMs: Date.now() - (config[STARTED_AT] ?? Date.now()),
      retry: config['axios-retry']?.retryCount ?? 0,
    };
    this.counter.attempt(event);
    metrics.connectwiseRequests.inc({ method: event.method, outcome: event.outcome, status: event.status === undefined ? 'none' : String(event.status) });
    metrics.connectwiseRequestSeconds.observe({ method: event.method }, event.durationMs / 1000);
    try {
      this.options.onRequest?.(event);
    } catch {
      // metrics hooks must not break the request
    }
  }

  async send<T>(req: TransportRequest): Promise<TransportResponse<T>> {
    const config = {
      method: req.method,
      url: req.url,
      params: req.params,
      data: req.data,
      headers: req.headers,
      responseType: req.binary ? ('arraybuffer' as const) : ('json' as const),
      [DISPLAY_PATH]: req.displayPath,
      [AUTHENTICATED]: req.authenticated,
    };
    let response: AxiosResponse<T>;
    try {
      response = await this.http.request<T>(config);
    } catch (error) {
      throw toSafeFailure(error, req);
    }
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(response.headers)) {
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v == null ? undefined : String(v);
    }
    return { status: response.status, data: response.data, headers };
  }
}

function attemptOutcome(error: AxiosError): AttemptOutcome {
  const status = error.response?.status;
  if (status === undefined) return isTimeout(error.code) ? 'timeout' : 'network';
  return kindForStatus(status, parseErrorBody(error.response?.data));
}

function isTimeout(code: string | undefined): boolean {
  return code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ERR_SOCKET_CONNECTION_TIMEOUT';
}

/** Rebuilds any failure from plain values; the axios error (config, headers, request) is dropped here. */
function toSafeFailure(error: unknown, req: TransportRequest): ConnectWiseError {
  if (error instanceof ConnectWiseError) return error;
  if (axios.isAxiosError(error)) {
    const retries = error.config?.['axios-retry']?.retryCount ?? 0;
    return toConnectWiseError({
      method: req.method,
      path: req.displayPath,
      status: error.response?.status,
      body: error.response?.data,
      retryAfterSeconds: retryAfterSeconds(error.response?.headers['retry-after']),
      networkCode: error.code,
      timedOut: error.response === undefined && isTimeout(error.code),
      attempts: retries + 1,
    });
  }
  // Not from axios (a hook threw, a body could not be encoded): keep only the message text.
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectWiseError({ kind: 'network', message: `ConnectWise request failed: ${message}`, method: req.method, path: req.displayPath });
}

function retryAfterSeconds(header: unknown): number | undefined {
  const ms = parseRetryAfter(header);
  return ms === undefined ? undefined : Math.round(ms / 1000);
}
