import { PlatformRequestRejectedError } from './errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, type PageRequest } from './types';

/** Page number and size with defaults applied; out-of-range values are rejected, not clamped. */
export function resolvePageRequest(request: PageRequest = {}): { page: number; pageSize: number } {
  const page = request.page ?? 1;
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1) {
    throw new PlatformRequestRejectedError(`page must be an integer of at least 1`, 400);
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new PlatformRequestRejectedError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`, 400);
  }
  return { page, pageSize };
}

/** One page of an already ordered list. */
export function paginate<T, R>(all: readonly T[], request: PageRequest, map: (item: T) => R): Page<R> {
  const { page, pageSize } = resolvePageRequest(request);
  const start = (page - 1) * pageSize;
  return { items: all.slice(start, start + pageSize).map(map), page, pageSize, total: all.length };
}
