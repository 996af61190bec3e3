import type { z } from 'zod';
import { PlatformInvalidDataError, type DataProblem } from '../contract/errors';

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
