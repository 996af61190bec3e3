import { AppError, AppErrorCode } from '../http/app-error';

export const NOTHING_REMOVED_WARNING =
  'Nothing already exported was removed from ConnectWise: additions and documents on the previous agreement stay as they are.';

export function versionMismatch(current: number | undefined): AppError {
  return new AppError(
    AppErrorCode.VersionMismatch,
    `This account was changed by someone else${current ? ` (now version ${current})` : ''}; reload it and apply your change again.`,
    { currentVersion: current ?? null },
  );
}

export function badField(field: string, reason: string): AppError {
  return new AppError(AppErrorCode.ValidationFailed, `Invalid request: ${field} ${reason}`, { fields: [{ field, reason }] });
}
