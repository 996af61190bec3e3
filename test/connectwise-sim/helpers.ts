import type { RunningSimulator } from '../../apps/connectwise-sim/src/testing';

/** Response bodies are read loosely in tests: their shape is what the assertions check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export interface CwResponse<T = Loose> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ClientOptions {
  publicKey?: string;
  privateKey?: string;
  companyId?: string;
  codebase?: string;
  clientId?: string | null;
}

/** A tiny ConnectWise caller for the tests (deliberately not the product's client). */
export function cw(sim: RunningSimulator, options: ClientOptions = {}) {
  const { publicKey = 'demo-public', privateKey = 'demo-private', companyId = 'demo', codebase = 'v4_6_release/' } = options;
  const auth = `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')}`;
  const base = `${sim.baseUrl}/${codebase}apis/3.0/`;
  const request = async <T = Loose>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<CwResponse<T>> => {
    const all: Record<string, string> = { Authorization: auth, ...headers };
    if (options.clientId !== null) all.clientId = options.clientId ?? 'simulator-tests';
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      all['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(base + path, { method, headers: all, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) parsed = text === '' ? undefined : JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  };
  return {
    base,
    request,
    get: <T = Loose>(path: string, headers?: Record<string, string>) => request<T>('GET', path, undefined, headers),
    post: <T = Loose>(path: string, body: unknown) => request<T>('POST', path, body),
    put: <T = Loose>(path: string, body: unknown) => request<T>('PUT', path, body),
    patch: <T = Loose>(path: string, body: unknown) => request<T>('PATCH', path, body),
    del: (path: string) => request('DELETE', path),
  };
}

export const q = (conditions: string): string => `conditions=${encodeURIComponent(conditions)}`;
