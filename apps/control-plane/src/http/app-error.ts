/**
 * Errors of the control plane's use-cases. They carry a code and no HTTP types; `AppErrorFilter`
 * maps each code to a status. Messages are shown to the partner: they must be clear and secret-free.
 */
export enum AppErrorCode {
  NotFound = 'not_found',
  ValidationFailed = 'validation_failed',
  Conflict = 'conflict',
  VersionMismatch = 'version_mismatch',
  IntegrationDisabled = 'integration_disabled',
  CredentialsRequired = 'credentials_required',
  CredentialsRejected = 'credentials_rejected',
  ConnectWiseUnavailable = 'connectwise_unavailable',
  ConnectWiseRefused = 'connectwise_refused',
  RunAlreadyActive = 'run_already_active',
  PlatformUnavailable = 'platform_unavailable',
  SessionExpired = 'session_expired',
  SignInCodeRefused = 'sign_in_code_refused',
  RateLimited = 'rate_limited',
}

export interface FieldProblem {
  field: string;
  reason: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: { fields?: FieldProblem[]; [key: string]: unknown },
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what: string): AppError {
    return new AppError(AppErrorCode.NotFound, `${what} not found`);
  }

  static sessionExpired(): AppError {
    return new AppError(AppErrorCode.SessionExpired, 'Your console session has expired. Open a new console link to sign in again.');
  }
}
