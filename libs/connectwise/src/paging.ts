import { ConnectWiseError } from './errors';
import type { ConnectWiseApi, QueryParams } from './http/api';

/** ConnectWise's hard page-size limit (API-NOTES §4.1). */
export const MAX_PAGE_SIZE = 1000;

export interface ListQuery {
  /** ConnectWise conditions; build values with `cwString`/`cwEquals` from conditions.ts. */
  conditions?: string;
  childConditions?: string;
  customFieldConditions?: string;
  /** Default `id asc`, so pages do not shift while we read them; null sends no orderBy. */
  orderBy?: string | null;
  /** Partial response: `['id', 'identifier', 'status/id']`. */
  fields?: readonly string[];
  /** 1..1000, default 1000. */
  pageSize?: number;
}

/** The query parameters of one page. Every page re-sends the caller's query; the Link header is ignored. */
export function pageParams(query: ListQuery, page: number, extra: QueryParams = {}): QueryParams {
  const pageSize = clampPageSize(query.pageSize);
  return {
    ...extra,
    conditions: query.conditions,
    childConditions: query.childConditions,
    customFieldConditions: query.customFieldConditions,
    orderBy: query.orderBy === null ? undefined : (query.orderBy ?? 'id asc'),
    fields: query.fields && query.fields.length > 0 ? query.fields.join(',') : undefined,
    page,
    pageSize,
  };
}

export function clampPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined) return MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  return Math.min(pageSize, MAX_PAGE_SIZE);
}

/** Guards against a server that ignores `page`: the same full page twice means no progress. */
function samePage(a: unknown[], b: unknown[]): boolean {
  return a.length > 0 && a.length === b.length && JSON.stringify(a[0]) === JSON.stringify(b[0]) && JSON.stringify(a[a.length - 1]) === JSON.stringify(b[b.length - 1]);
}

/**
 * Navigable paging: page 1, 2, … at `pageSize`, stopping at the first short page. Chosen over forward-only
 * paging because forward-only forbids `orderBy` and its Link format is unverified; with `id asc` ordering a
 * record created mid-read lands at the end instead of shifting pages.
 */
export async function* paginate<T>(
  api: ConnectWiseApi,
  path: string,
  query: ListQuery = {},
  extra: QueryParams = {},
): AsyncGenerator<T, void, undefined> {
  const pageSize = clampPageSize(query.pageSize);
  let previous: T[] = [];
  for (let page = 1; ; page += 1) {
    const res = await api.request<T[]>({ method: 'GET', path, params: pageParams(query, page, extra) });
    if (!Array.isArray(res.data)) throw unexpected(path, 'a list answer was not a JSON array');
    const rows = res.data;
    if (page > 1 && samePage(previous, rows)) throw unexpected(path, 'the same page came back twice; paging stopped');
    yield* rows;
    if (rows.length < pageSize) return;
    previous = rows;
  }
}

/** Every record of a collection, all pages. */
export async function listAll<T>(api: ConnectWiseApi, path: string, query: ListQuery = {}, extra: QueryParams = {}): Promise<T[]> {
  const all: T[] = [];
  for await (const row of paginate<T>(api, path, query, extra)) all.push(row);
  return all;
}

/** `GET {path}/count` with the same conditions. */
export async function count(api: ConnectWiseApi, path: string, query: Pick<ListQuery, 'conditions' | 'childConditions' | 'customFieldConditions'> = {}): Promise<number> {
  const res = await api.request<{ count?: unknown }>({
    method: 'GET',
    path: `${path}/count`,
    params: { conditions: query.conditions, childConditions: query.childConditions, customFieldConditions: query.customFieldConditions },
  });
  const n = res.data?.count;
  if (typeof n !== 'number') throw unexpected(`${path}/count`, 'no count in the answer');
  return n;
}

function unexpected(path: string, what: string): ConnectWiseError {
  return new ConnectWiseError({ kind: 'unexpected-response', message: `ConnectWise ${what} (GET ${path})`, method: 'GET', path });
}
