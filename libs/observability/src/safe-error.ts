/**
 * A log-safe view of an error. HTTP client errors (axios) carry the request config, including the
 * Authorization header, deep inside them; pino's path redaction does not reach there, so errors are
 * reduced to name, message, code, status and stack before they are logged.
 */
export interface SafeError {
  type: string;
  message: string;
  code?: string;
  status?: number;
  stack?: string;
  /** The underlying errors' `name: message`, outermost first (e.g. the database's reason behind "Failed query"). */
  cause?: string;
}

const MAX_CAUSES = 5;

export function toSafeError(error: unknown): SafeError {
  if (!(error instanceof Error)) return describeNonError(error);
  const withExtras = error as Error & { code?: unknown; status?: unknown; response?: { status?: unknown } };
  const status = typeof withExtras.status === 'number' ? withExtras.status : withExtras.response?.status;
  const cause = causeChain(error);
  return {
    type: error.name,
    message: error.message,
    ...(typeof withExtras.code === 'string' ? { code: withExtras.code } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(cause ? { cause } : {}),
  };
}

/** `A: x <- B: y`: every `cause` below the error, as far as MAX_CAUSES levels. */
function causeChain(error: Error): string | undefined {
  const parts: string[] = [];
  let next: unknown = error.cause;
  while (next !== undefined && next !== null && parts.length < MAX_CAUSES) {
    parts.push(next instanceof Error ? `${next.name}: ${next.message}` : describeNonError(next).message);
    next = next instanceof Error ? next.cause : undefined;
  }
  return parts.length > 0 ? parts.join(' <- ') : undefined;
}

/**
 * Something thrown that is not an Error: a string, or an object such as a library's error-like literal.
 * Only its own `name`, `message` and `code` strings are kept (never the whole object: it may hold secrets).
 */
function describeNonError(value: unknown): SafeError {
  if (typeof value !== 'object' || value === null) return { type: typeof value, message: String(value) };
  const fields = value as { name?: unknown; message?: unknown; code?: unknown; constructor?: { name?: unknown } };
  const ctor = typeof fields.constructor?.name === 'string' && fields.constructor.name !== 'Object' ? fields.constructor.name : undefined;
  const type = typeof fields.name === 'string' ? fields.name : (ctor ?? 'object');
  const message =
    typeof fields.message === 'string' ? fields.message : `a thrown ${type} with no message (keys: ${Object.keys(value).slice(0, 10).join(', ')})`;
  return { type, message, ...(typeof fields.code === 'string' ? { code: fields.code } : {}) };
}
