/**
 * Errors thrown by the ConnectWise client. Every failure is rebuilt by hand from plain values: an axios
 * error carries the request config (with the Authorization header) and must never escape this library.
 */

export type ConnectWiseErrorKind =
  | 'unauthorized' // 401: wrong company id / public key / private key
  | 'forbidden' // 403: the member's security role lacks a permission
  | 'not-found' // 404
  | 'invalid' // 400 (other than a duplicate), 405, 415, 422, or a 500 "Error converting value"
  | 'object-exists' // 400 InvalidObject with an ObjectExists validation error
  | 'conflict' // 409
  | 'throttled' // 429 after the retries were spent
  | 'server' // 5xx after the retries were spent
  | 'network' // connection refused / reset / DNS failure
  | 'timeout' // no response within requestTimeoutMs
  | 'unexpected-response' // a 3xx (redirects are refused) or a malformed body
  | 'site-not-allowed' // the site is not on the allow-list
  | 'unknown-company'; // /login/companyinfo returned null or 404

/** One entry of ConnectWise's `errors[]` (the spec's `ValidationError`). */
export interface ConnectWiseValidationError {
  code?: string;
  message?: string;
  resource?: string;
  field?: string;
  details?: string;
}

export interface ConnectWiseErrorInit {
  kind: ConnectWiseErrorKind;
  message: string;
  status?: number;
  code?: string;
  errors?: ConnectWiseValidationError[];
  method?: string;
  path?: string;
  /** Node's error code for network failures (ECONNRESET, ENOTFOUND, …). */
  networkCode?: string;
  /** Seconds asked by Retry-After on the last 429, when present. */
  retryAfterSeconds?: number;
  /** Requests sent for this call, retries included. */
  attempts?: number;
  /** For POSTs: the request may have reached the server, so the record may exist. */
  outcomeUnknown?: boolean;
  hint?: string;
}

export class ConnectWiseError extends Error {
  override readonly name = 'ConnectWiseError';
  readonly kind: ConnectWiseErrorKind;
  readonly status?: number;
  /** ConnectWise's own code (`InvalidObject`, `Security`, `NotFound`, `ConnectWiseApi`, …). */
  readonly code?: string;
  readonly errors: ConnectWiseValidationError[];
  readonly method?: string;
  /** API path relative to `apis/3.0`, without the query string. */
  readonly path?: string;
  readonly networkCode?: string;
  readonly retryAfterSeconds?: number;
  readonly attempts?: number;
  readonly outcomeUnknown: boolean;
  readonly hint?: string;

  constructor(init: ConnectWiseErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.errors = init.errors ?? [];
    this.method = init.method;
    this.path = init.path;
    this.networkCode = init.networkCode;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.hint = init.hint;
  }

  /** True when repeating the same request later may succeed. */
  get transient(): boolean {
    return ['throttled', 'server', 'network', 'timeout'].includes(this.kind);
  }

  /** A copy of this error that also says the request may have been applied. */
  withOutcomeUnknown(): ConnectWiseError {
    return new ConnectWiseError({ ...this.init(), outcomeUnknown: true });
  }

  private init(): ConnectWiseErrorInit {
    return {
      kind: this.kind,
      message: this.message,
      status: this.status,
      code: this.code,
      errors: this.errors,
      method: this.method,
      path: this.path,
      networkCode: this.networkCode,
      retryAfterSeconds: this.retryAfterSeconds,
      attempts: this.attempts,
      outcomeUnknown: this.outcomeUnknown,
      hint: this.hint,
    };
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, ...this.init() };
  }
}

export function isConnectWiseError(error: unknown, kind?: ConnectWiseErrorKind): error is ConnectWiseError {
  return error instanceof ConnectWiseError && (kind === undefined || error.kind === kind);
}

/** What the transport knows about a failed attempt, with nothing sensitive in it. */
export interface FailedExchange {
  method: string;
  path: string;
  status?: number;
  /** The response body: parsed JSON, text, a Buffer (binary requests), or undefined. */
  body?: unknown;
  retryAfterSeconds?: number;
  networkCode?: string;
  timedOut?: boolean;
  attempts?: number;
}

interface ParsedBody {
  code?: string;
  message?: string;
  errors: ConnectWiseValidationError[];
}

const TEXT_LIMIT = 300;

/** Reads ConnectWise's `{code, message, errors}` (or the 429 example's `{error, message}`) from any body. */
export function parseErrorBody(body: unknown): ParsedBody {
  let value: unknown = body;
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer) {
    value = Buffer.from(value as Buffer).toString('utf8');
  }
  if (typeof value === 'string') {
    const text = value.trim();
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      // HTML from a proxy or an edge (Cloudflare): keep no body text, it is not ConnectWise's message.
      return { errors: [] };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { errors: [] };
  const record = value as Record<string, unknown>;
  const code = str(record.code) ?? str(record.error);
  const message = str(record.message);
  const errors = Array.isArray(record.errors)
    ? record.errors.filter(isRecord).map((e) => ({
        code: str(e.code),
        message: str(e.message),
        resource: str(e.resource),
        field: str(e.field),
        details: str(e.details),
      }))
    : [];
  return { code, message, errors };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, TEXT_LIMIT) : undefined;
}

/** The error kind a status code (and ConnectWise body) stands for. */
export function kindForStatus(status: number, body: ParsedBody): ConnectWiseErrorKind {
  if (status === 400) {
    return body.errors.some((e) => e.code === 'ObjectExists') ? 'object-exists' : 'invalid';
  }
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'throttled';
  if (status >= 500) return isConversionFailure(body) ? 'invalid' : 'server';
  if (status >= 400) return 'invalid';
  return 'unexpected-response';
}

/** ConnectWise answers a body of the wrong JSON type with 500 "Error converting value …": not transient. */
export function isConversionFailure(body: ParsedBody): boolean {
  return body.code === 'ConnectWiseApi' && /^error converting value/i.test(body.message ?? '');
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
};

/** Builds the error for a failed exchange (after the retries). */
export function toConnectWiseError(x: FailedExchange): ConnectWiseError {
  const where = `${x.method} ${x.path}`;
  const base = { method: x.method, path: x.path, attempts: x.attempts };
  if (x.status === undefined) {
    if (x.timedOut) {
      return new ConnectWiseError({ ...base, kind: 'timeout', networkCode: x.networkCode, message: `ConnectWise did not answer in time (${where})` });
    }
    if (x.networkCode === 'EDESTINATIONREFUSED') {
      // The site's name resolved to a non-public address (@cwx/outbound): a setting to fix, not an outage.
      return new ConnectWiseError({ ...base, kind: 'site-not-allowed', networkCode: x.networkCode, message: `ConnectWise site refused: its host resolves to a non-public address (${where})` });
    }
    const words = (x.networkCode && NETWORK_WORDS[x.networkCode]) ?? 'network error';
    return new ConnectWiseError({ ...base, kind: 'network', networkCode: x.networkCode, message: `ConnectWise unreachable: ${words} (${where})` });
  }
  const body = parseErrorBody(x.body);
  const kind = kindForStatus(x.status, body);
  const detail = body.message ?? body.errors.find((e) => e.message)?.message;
  const summary = kind === 'unexpected-response' && x.status >= 300 && x.status < 400 ? 'redirect refused' : `HTTP ${x.status}`;
  const message = `ConnectWise ${summary}${body.code ? ` ${body.code}` : ''}${detail ? `: ${detail}` : ''} (${where})`;
  return new ConnectWiseError({
    ...base,
    kind,
    status: x.status,
    code: body.code,
    errors: body.errors,
    retryAfterSeconds: x.retryAfterSeconds,
    message,
  });
}
