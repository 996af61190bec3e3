import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { PlatformError } from '@cwx/platform';
import { nestLogger } from '@cwx/observability';
import { fromPlatformError } from '../platform/platform.module';
import { AppError, AppErrorCode } from './app-error';

const STATUS: Record<AppErrorCode, number> = {
  [AppErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [AppErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [AppErrorCode.Conflict]: HttpStatus.CONFLICT,
  [AppErrorCode.VersionMismatch]: HttpStatus.CONFLICT,
  [AppErrorCode.IntegrationDisabled]: HttpStatus.CONFLICT,
  [AppErrorCode.CredentialsRequired]: HttpStatus.CONFLICT,
  [AppErrorCode.CredentialsRejected]: HttpStatus.UNPROCESSABLE_ENTITY,
  [AppErrorCode.ConnectWiseUnavailable]: HttpStatus.BAD_GATEWAY,
  [AppErrorCode.ConnectWiseRefused]: HttpStatus.UNPROCESSABLE_ENTITY,
  [AppErrorCode.RunAlreadyActive]: HttpStatus.CONFLICT,
  [AppErrorCode.PlatformUnavailable]: HttpStatus.BAD_GATEWAY,
  [AppErrorCode.SessionExpired]: HttpStatus.UNAUTHORIZED,
  [AppErrorCode.SignInCodeRefused]: HttpStatus.UNAUTHORIZED,
  [AppErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
};

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: { field: string; reason: string }[];
  errorId?: string;
  [key: string]: unknown;
}

/**
 * One place that turns errors into responses: use-case errors by code, Nest's HTTP exceptions as they
 * are, and anything else as a 500 that shows only an error id (the details go to the log).
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = nestLogger('AppErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof PlatformError) return this.toBody(fromPlatformError(exception));
    if (exception instanceof AppError) {
      const { fields, ...rest } = exception.details ?? {};
      return {
        statusCode: STATUS[exception.code],
        code: exception.code,
        message: exception.message,
        ...(fields ? { errors: fields } : {}),
        ...rest,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      if (isHealthReport(raw)) {
        // Readiness (terminus): keep which check is down, in the uniform body.
        const down = Object.keys(raw.error ?? {});
        return { statusCode: status, code: 'not_ready', message: `Not ready: ${down.join(', ') || 'a check'} down`, ...raw };
      }
      const inner = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
      const message =
        typeof inner === 'string' ? inner : Array.isArray(inner) ? inner.map((m) => String(m)).join('; ') : exception.message;
      return { statusCode: status, code: httpCode(status), message };
    }
    if (isBodyParserError(exception)) {
      // express's body parser: malformed JSON, a body too large, an unsupported charset.
      return { statusCode: exception.status, code: httpCode(exception.status), message: 'The request body could not be read: ' + exception.type };
    }
    const errorId = randomUUID();
    // The raw error goes to the logger; its `err` serializer reduces it once (toSafeError), cause included.
    this.logger.error({ errorId, err: exception }, 'unhandled error');
    return { statusCode: 500, code: 'internal_error', message: 'Internal error; quote this id to support.', errorId };
  }
}

function isHealthReport(raw: unknown): raw is { status: string; info?: object; error?: object; details: object } {
  return typeof raw === 'object' && raw !== null && 'details' in raw && (raw as { status?: unknown }).status === 'error';
}

function isBodyParserError(e: unknown): e is { status: number; type: string } {
  if (typeof e !== 'object' || e === null) return false;
  const candidate = e as { status?: unknown; type?: unknown };
  return typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500 && typeof candidate.type === 'string';
}

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return status >= 500 ? 'internal_error' : 'request_refused';
  }
}
