/** Codes a caller (an export worker) can branch on: retry, alert the partner, or fail the account. */
export enum PlatformErrorCode {
  NotFound = 'PLATFORM_NOT_FOUND',
  Unavailable = 'PLATFORM_UNAVAILABLE',
  Unauthorized = 'PLATFORM_UNAUTHORIZED',
  RequestRejected = 'PLATFORM_REQUEST_REJECTED',
  InvalidData = 'PLATFORM_INVALID_DATA',
}

/**
 * Base of every error the platform adapters throw. It never carries a request configuration, a
 * header or a token, so it is safe to log as is.
 */
export abstract class PlatformError extends Error {
  abstract readonly code: PlatformErrorCode;
  /** True when the same call may succeed later unchanged. */
  abstract readonly retryable: boolean;
}

export type PlatformResource = 'partner' | 'account';

/** The partner, or an account of it, does not exist (or the caller may not see it). */
export class PlatformNotFoundError extends PlatformError {
  readonly code = PlatformErrorCode.NotFound;
  readonly retryable = false;
  constructor(
    readonly resource: PlatformResource,
    readonly partnerId: string,
    readonly accountId?: string,
  ) {
    super(
      resource === 'partner'
        ? `Partner ${partnerId} not found on the platform`
        : `Account ${accountId ?? '?'} of partner ${partnerId} not found on the platform`,
    );
    this.name = 'PlatformNotFoundError';
  }
}

/** The platform could not be reached or kept failing (network, timeout, 5xx, 429) after retries. */
export class PlatformUnavailableError extends PlatformError {
  readonly code = PlatformErrorCode.Unavailable;
  readonly retryable = true;
  constructor(
    message: string,
    readonly details: { status?: number; errorCode?: string; attempts?: number } = {},
  ) {
    super(message);
    this.name = 'PlatformUnavailableError';
  }
}

/** The platform refused our credentials (401/403): the partner or operator must act. */
export class PlatformUnauthorizedError extends PlatformError {
  readonly code = PlatformErrorCode.Unauthorized;
  readonly retryable = false;
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'PlatformUnauthorizedError';
  }
}

/** The platform rejected the request itself (another 4xx): a bug on our side, not worth retrying. */
export class PlatformRequestRejectedError extends PlatformError {
  readonly code = PlatformErrorCode.RequestRejected;
  readonly retryable = false;
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'PlatformRequestRejectedError';
  }
}

export interface DataProblem {
  /** Field path inside the document, e.g. `items[3].quantity`; empty for the document itself. */
  field: string;
  problem: string;
}

/**
 * A document (a file of the data folder, or an API response) is not what the contract says.
 * `source` names the file or the API path; the message lists each bad field.
 */
export class PlatformInvalidDataError extends PlatformError {
  readonly code = PlatformErrorCode.InvalidData;
  readonly retryable = false;
  constructor(
    readonly source: string,
    readonly problems: DataProblem[],
  ) {
    super(
      `Invalid platform data in ${source}: ${problems
        .slice(0, 10)
        .map((p) => `${p.field || '(document)'}: ${p.problem}`)
        .join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`,
    );
    this.name = 'PlatformInvalidDataError';
  }
}
