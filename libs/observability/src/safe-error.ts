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
  /** The underlying error's message (e.g. the database's reason behind "Failed query"). */
  cause?: string;
}

export function toSafeError(error: unknown): SafeError {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const withExtras = error as Error & { code?: unknown; status?: unknown; response?: { status?: unknown } };
  const status = typeof withExtras.status === 'number' ? withExtras.status : withExtras.response?.status;
  return {
    type: error.name,
    message: error.message,
    ...(typeof withExtras.code === 'string' ? { code: withExtras.code } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause instanceof Error ? { cause: `${error.cause.name}: ${error.cause.message}` } : {}),
  };
}
