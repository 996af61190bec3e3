import createClient from 'openapi-fetch';
import { retryOn429 } from './retry';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The uniform error body of the API (see the control plane's AppErrorFilter). */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: { field: string; reason: string }[];
  problem?: string;
  hint?: string;
  missingPermissions?: { label: string; action: string; need: string }[];
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
}

/** Signals a refused session to the app shell (expired or missing), once per response. */
export const sessionEvents = new EventTarget();

/**
 * The typed client generated from openapi/control-plane.json. The session is an HttpOnly cookie the
 * browser sends by itself; writes carry `x-cwx-console`, which the server requires with the cookie.
 */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
  credentials: 'same-origin',
  headers: { 'x-cwx-console': '1' },
});

api.use({
  async onResponse({ response }) {
    if (response.status === 401) {
      const body = (await response.clone().json().catch(() => ({}))) as Partial<ApiErrorBody>;
      sessionEvents.dispatchEvent(new CustomEvent('refused', { detail: body }));
    }
    return response;
  },
});
// Registered last: it sees the request as sent, and its retries happen before the 401 check above reads the answer.
api.use(retryOn429());

/** The data of a call, or an ApiError carrying the error body. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const body = (error ?? {}) as Partial<ApiErrorBody>;
    throw new ApiError({ statusCode: response.status, code: body.code ?? 'error', message: body.message ?? response.statusText, ...body });
  }
  return data as T;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
