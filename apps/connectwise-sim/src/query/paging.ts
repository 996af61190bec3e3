import { ApiError } from '../http/api-error';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;

export interface NavigablePage {
  page: number;
  pageSize: number;
}

function positiveInt(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw ApiError.badRequest(`${name} must be an integer.`);
  return Number(raw);
}

/**
 * `pageSize` defaults to 25 and is capped at 1,000. A larger value is clamped to 1,000 rather than
 * refused: the guide calls 1,000 a hard limit on what is returned and says nothing of an error
 * (unverified). A page below 1 (or a page size below 1) counts as the default.
 */
export function parsePageSize(raw: string | undefined): number {
  const size = positiveInt(raw, 'pageSize');
  if (size === undefined || size < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(size, MAX_PAGE_SIZE);
}

export function parseNavigablePage(query: URLSearchParams): NavigablePage {
  const page = positiveInt(query.get('page') ?? undefined, 'page');
  return { page: page === undefined || page < 1 ? 1 : page, pageSize: parsePageSize(query.get('pageSize') ?? undefined) };
}

export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * The navigable `Link` header: `<url?pageSize=N&page=K>; rel="next"`, with `page` last in the query
 * (clients such as pyconnectwise parse `page=(\d+)>; rel=`). `first`/`prev` appear from page 2 on and
 * `next`/`last` until the last page, like the Developer Guide's example (page 1 of 4 lists next and
 * last). The URLs carry only pageSize and page, as in both captured examples: clients must re-send
 * their own conditions (whether the real server echoes them is unverified). Empty when one page holds all.
 */
export function navigableLink(url: string, page: number, pageSize: number, total: number): string {
  const last = lastPage(total, pageSize);
  const link = (target: number, rel: string): string => `<${url}?pageSize=${pageSize}&page=${target}>; rel="${rel}"`;
  const parts: string[] = [];
  if (page > 1) parts.push(link(1, 'first'), link(Math.min(page - 1, last), 'prev'));
  if (page < last) parts.push(link(page + 1, 'next'), link(last, 'last'));
  return parts.join(', ');
}

/**
 * Forward-only paging (`pagination-type: forward-only`): the next page starts after the last id
 * returned. Format inferred from the guide ("a link header … for the next pageId") and from
 * ConnectWiseManageAPI, which loops until the Link header is empty: `<url?pageSize=N&pageId=ID>; rel="next"`.
 */
export function forwardOnlyLink(url: string, pageSize: number, lastId: number | undefined): string {
  return lastId === undefined ? '' : `<${url}?pageSize=${pageSize}&pageId=${lastId}>; rel="next"`;
}
