import type { z } from 'zod';
import { PlatformInvalidDataError, type DataProblem } from '../contract/errors';
import type { PlatformAccount, RejectedAccount } from '../contract/types';
import { accountSchema, ID_PATTERN } from './schemas';

/** `items[3].services[0].name` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/**
 * Validates a document and returns it typed, or throws a `PlatformInvalidDataError` naming `source`
 * (a file or an API path) and every bad field. Values are not echoed: they may be personal data.
 */
export function parseDocument<S extends z.ZodType>(schema: S, value: unknown, source: string): z.infer<S> {
  const result = schema.safeParse(value, { reportInput: false });
  if (result.success) return result.data;
  const problems: DataProblem[] = result.error.issues.map((issue) => ({
    field: formatPath(issue.path),
    problem: issue.message,
  }));
  throw new PlatformInvalidDataError(source, problems);
}

/**
 * An account list read item by item: valid accounts (first occurrence of each id) in `accounts`, every
 * other item in `rejected` with its problems. Values are not echoed; an id is named when it is usable.
 */
export function parseAccountList(items: readonly unknown[]): { accounts: PlatformAccount[]; rejected: RejectedAccount[] } {
  const accounts: PlatformAccount[] = [];
  const rejected: RejectedAccount[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const result = accountSchema.safeParse(item, { reportInput: false });
    const rawId = (item as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' && ID_PATTERN.test(rawId) ? rawId : undefined;
    if (!result.success) {
      const problems = result.error.issues.map((issue) => ({ field: formatPath(issue.path), problem: issue.message }));
      rejected.push({ index, ...(id ? { id } : {}), problems });
      return;
    }
    const first = seen.get(result.data.id);
    if (first !== undefined) {
      rejected.push({ index, id: result.data.id, problems: [{ field: 'id', problem: `repeats the account id of item ${first}` }] });
      return;
    }
    seen.set(result.data.id, index);
    accounts.push({ id: result.data.id, name: result.data.name, status: result.data.status });
  });
  return { accounts, rejected };
}
