/**
 * The split a transport needs: a final failure is reported in the result (the account failed); a
 * retryable one is thrown as `RetryableExportError` (nack, redeliver later; every handler is
 * idempotent); rejected ConnectWise credentials are thrown as `CredentialsRejectedError` (stop the run,
 * alert the partner). No transport types here: the worker maps the codes to ack, nack or dead-letter.
 */
import { isConnectWiseError } from '@cwx/connectwise';
import { DomainError } from '@cwx/domain';
import { ResultErrorKind } from '@cwx/messaging';
import { PlatformError, PlatformErrorCode } from '@cwx/platform';
import type { ExportErrorInfo } from './types';

export enum ExportErrorCode {
  Retryable = 'EXPORT_RETRYABLE',
  CredentialsRejected = 'EXPORT_CREDENTIALS_REJECTED',
  MissingDefaults = 'EXPORT_MISSING_DEFAULTS',
  Store = 'EXPORT_STORE_FAILED',
}

export abstract class ExportError<TPartial = unknown> extends Error {
  abstract readonly code: ExportErrorCode;

  constructor(
    /** The underlying failure, as plain data. */
    readonly reason: ExportErrorInfo,
    /** What the job had done before it stopped (operations applied so far). */
    readonly partial?: TPartial,
  ) {
    super(reason.message);
  }
}

/**
 * Try again later: ConnectWise throttled us past the retries, answered 5xx, or could not be reached; the
 * platform is unavailable; our store failed. Operations already applied are in `partial`; the redelivered
 * job re-reads everything and finds them done.
 */
export class RetryableExportError<TPartial = unknown> extends ExportError<TPartial> {
  readonly code = ExportErrorCode.Retryable;
  override readonly name = 'RetryableExportError';

  constructor(
    reason: ExportErrorInfo,
    partial?: TPartial,
    /** ConnectWise's Retry-After on the last 429, in milliseconds, when it gave one. */
    readonly retryAfterMs?: number,
  ) {
    super(reason, partial);
  }
}

/** ConnectWise answered 401: the stored keys no longer work. The run stops with this reason. */
export class CredentialsRejectedError<TPartial = unknown> extends ExportError<TPartial> {
  readonly code = ExportErrorCode.CredentialsRejected;
  override readonly name = 'CredentialsRejectedError';
}

/**
 * The account was remapped (or unmapped, or its export turned off) while the job ran: it stops before its
 * next write to the agreement it started with. Reported as a skipped account with this reason.
 */
export class MappingChangedError extends Error {
  override readonly name = 'MappingChangedError';
}

/** Our store failed (connection lost, constraint…): the job is retried, ConnectWise is re-read then. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code = ExportErrorCode.Store;
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`Export store failed (${operation}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export type ErrorDisposition = 'final' | 'retry' | 'credentials';

/** How a failure is handled, and what it says. Unknown errors (bugs) are not classified: the caller rethrows them. */
export function classifyError(error: unknown): { disposition: ErrorDisposition; info: ExportErrorInfo; retryAfterMs?: number } | undefined {
  if (isConnectWiseError(error)) {
    const info: ExportErrorInfo = { kind: error.kind, message: error.message };
    if (error.code !== undefined) info.code = error.code;
    if (error.status !== undefined) info.status = error.status;
    if (error.errors.length > 0) info.details = error.errors.map(({ code, field, message }) => ({ code, field, message }));
    if (error.kind === 'unauthorized') return { disposition: 'credentials', info };
    const retryAfterMs = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
    return { disposition: error.transient ? 'retry' : 'final', info, retryAfterMs };
  }
  if (error instanceof PlatformError) {
    const info: ExportErrorInfo = { kind: PLATFORM_KINDS[error.code], code: error.code, message: error.message };
    return { disposition: error.retryable ? 'retry' : 'final', info };
  }
  if (error instanceof StoreError) {
    return { disposition: 'retry', info: { kind: ResultErrorKind.Store, code: error.code, message: error.message } };
  }
  if (error instanceof DomainError) {
    return { disposition: 'final', info: { kind: ResultErrorKind.InvalidInput, code: error.code, message: error.message } };
  }
  return undefined;
}

const PLATFORM_KINDS: Record<PlatformErrorCode, ResultErrorKind> = {
  [PlatformErrorCode.NotFound]: ResultErrorKind.PlatformNotFound,
  [PlatformErrorCode.Unavailable]: ResultErrorKind.PlatformUnavailable,
  [PlatformErrorCode.Unauthorized]: ResultErrorKind.PlatformUnauthorized,
  [PlatformErrorCode.RequestRejected]: ResultErrorKind.PlatformRejected,
  [PlatformErrorCode.InvalidData]: ResultErrorKind.PlatformInvalidData,
};

/**
 * Turns a failure into the job's outcome: returns the final error info for the result, or throws the
 * retryable / credentials error carrying `partial`. Unknown errors are rethrown untouched.
 */
export function settleFailure<TPartial>(error: unknown, partial: TPartial): ExportErrorInfo {
  const classified = classifyError(error);
  if (!classified) throw error;
  if (classified.disposition === 'credentials') throw new CredentialsRejectedError(classified.info, partial);
  if (classified.disposition === 'retry') throw new RetryableExportError(classified.info, partial, classified.retryAfterMs);
  return classified.info;
}
