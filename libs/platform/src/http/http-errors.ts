import { isAxiosError } from 'axios';
import {
  PlatformNotFoundError,
  PlatformRequestRejectedError,
  PlatformUnauthorizedError,
  PlatformUnavailableError,
  type PlatformError,
} from '../contract/errors';

/** What the failing call was about, to name it in the error. */
export interface CallContext {
  path: string;
  partnerId: string;
  accountId?: string;
}

/**
 * Turns an axios failure into a platform error. Only status, code and the API's own error code are
 * kept: the axios error (whose config holds the Authorization header) is never attached or logged.
 */
export function toPlatformError(error: unknown, call: CallContext): PlatformError {
  if (!isAxiosError(error)) {
    return new PlatformUnavailableError(`GET ${call.path} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const attempts = (error.config?.['axios-retry']?.retryCount ?? 0) + 1;
  const status = error.response?.status;
  if (status === undefined) {
    const timedOut = error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED';
    return new PlatformUnavailableError(
      `GET ${call.path} ${timedOut ? 'timed out' : `failed (${error.code ?? 'network error'})`} after ${attempts} attempt(s)`,
      { ...(error.code ? { errorCode: error.code } : {}), attempts },
    );
  }
  const apiCode = errorCodeOf(error.response?.data);
  if (status === 404 && apiCode === 'PARTNER_NOT_FOUND') return new PlatformNotFoundError('partner', call.partnerId);
  if (status === 404 && apiCode === 'ACCOUNT_NOT_FOUND' && call.accountId !== undefined) {
    return new PlatformNotFoundError('account', call.partnerId, call.accountId);
  }
  if (status === 401 || status === 403) {
    return new PlatformUnauthorizedError(`GET ${call.path} was refused (${status}): check PLATFORM_API_TOKEN`, status);
  }
  if (status === 429 || status >= 500) {
    return new PlatformUnavailableError(`GET ${call.path} answered ${status} after ${attempts} attempt(s)`, {
      status,
      ...(apiCode ? { errorCode: apiCode } : {}),
      attempts,
    });
  }
  return new PlatformRequestRejectedError(
    `GET ${call.path} was rejected (${status}${apiCode ? ` ${apiCode}` : ''})${status === 404 ? ': check PLATFORM_API_URL' : ''}`,
    status,
  );
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code) ? code : undefined;
}

/** Retry only what may pass next time: network errors, timeouts, 429 and 5xx, on GET. */
export function isTransient(error: unknown): boolean {
  if (!isAxiosError(error) || error.code === 'ERR_CANCELED') return false;
  if ((error.config?.method ?? 'get').toLowerCase() !== 'get') return false;
  const status = error.response?.status;
  return status === undefined || status === 429 || status >= 500;
}

/**
 * Delay before retry `n` (1-based): the server's Retry-After when it gives one, else exponential
 * backoff with jitter; never more than `maxMs`.
 */
export function retryDelayMs(n: number, error: unknown, baseMs: number, maxMs: number, random = Math.random): number {
  const header = isAxiosError(error) ? (error.response?.headers as Record<string, unknown> | undefined)?.['retry-after'] : undefined;
  if (typeof header === 'string' && header.trim() !== '') {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), maxMs);
  }
  const ceiling = Math.min(baseMs * 2 ** (n - 1), maxMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
