/**
 * The retry policy, as pure functions: which failures are retried for which method, and how long to wait.
 *
 * - 429: every method (the server refused before doing anything), after Retry-After capped at maxDelayMs.
 * - 5xx, timeouts and network errors: idempotent methods only (GET, PUT, PATCH of `replace` ops, DELETE),
 *   with capped exponential backoff and jitter. A POST is never re-sent on these: it may have been applied,
 *   so creates re-read first (see `create.ts`).
 * - 4xx other than 429, and a 500 "Error converting value" (a typed body the server could not read): never.
 */

export interface RetryTiming {
  /** First backoff step in milliseconds. */
  baseDelayMs: number;
  /** Cap on any single wait (Retry-After included). */
  maxDelayMs: number;
}

export interface AttemptFailure {
  method: string;
  status?: number;
  /** Node / axios error code for failures without a response. */
  networkCode?: string;
  /** The response was a 500 "Error converting value …". */
  conversionFailure?: boolean;
}

const RETRIED_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED', // axios: timeout
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** A failure with no HTTP status that repeating could cure (not DNS NXDOMAIN, not TLS, not a cancel). */
export function isTransientNetworkFailure(networkCode: string | undefined): boolean {
  return networkCode !== undefined && RETRIED_NETWORK_CODES.has(networkCode);
}

export function isIdempotentMethod(method: string): boolean {
  return ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'].includes(method.toUpperCase());
}

export function shouldRetry(f: AttemptFailure): boolean {
  if (f.status === 429) return true;
  if (!isIdempotentMethod(f.method)) return false;
  if (f.status === undefined) return isTransientNetworkFailure(f.networkCode);
  if (f.status === 501 || f.status === 505) return false;
  return f.status >= 500 && !f.conversionFailure;
}

/**
 * Wait before retry number `retry` (1-based): min(maxDelay, base·2^(retry-1)), of which the upper half is
 * random ("equal jitter"), so that a fleet of workers does not come back in lockstep.
 */
export function backoffDelay(retry: number, timing: RetryTiming, random: () => number = Math.random): number {
  const ceiling = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds; undefined when absent/invalid. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? (header[0] as unknown) : header;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value * 1000;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^[A-Za-z]{3},/.test(text)) return undefined; // an HTTP date: `Wed, 21 Oct 2015 07:28:00 GMT`
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before the next retry: Retry-After when the server gave one (capped), else backoff. */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  timing: RetryTiming,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, timing.maxDelayMs);
  return backoffDelay(retry, timing, random);
}
