/**
 * A run's outcome from its accounts' results. A run that examined nothing never reports success, and a run
 * missing results for some accounts is not complete: the missing ones count against it.
 */
import { DomainError, DomainErrorCode } from './errors';

export type AccountResultStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';
export type RunStatus = 'succeeded' | 'partially_failed' | 'failed' | 'nothing_to_export';

export interface RunSummary {
  /** Accounts reconciled or attempted: changed + unchanged + failed. */
  examined: number;
  changed: number;
  unchanged: number;
  failed: number;
  /** Accounts deliberately not exported (not counted as examined). */
  skipped: number;
  /** Expected accounts without a result. */
  missing: number;
  /** Every expected account has a result. */
  complete: boolean;
  status: RunStatus;
}

export function summariseRun(accountResults: readonly { status: AccountResultStatus }[], totalExpected: number): RunSummary {
  if (!Number.isInteger(totalExpected) || totalExpected < 0) {
    throw new DomainError(DomainErrorCode.InvalidExpectedCount, `Expected account count must be a whole number ≥ 0, got ${totalExpected}.`);
  }
  const count = (status: AccountResultStatus) => accountResults.filter((r) => r.status === status).length;
  const changed = count('changed');
  const unchanged = count('unchanged');
  const failed = count('failed');
  const skipped = count('skipped');
  const missing = Math.max(0, totalExpected - accountResults.length);
  const examined = changed + unchanged + failed;
  const succeeded = changed + unchanged;
  const shortfall = failed + missing;

  let status: RunStatus;
  if (shortfall === 0) status = succeeded > 0 ? 'succeeded' : 'nothing_to_export';
  else status = succeeded > 0 ? 'partially_failed' : 'failed';

  return { examined, changed, unchanged, failed, skipped, missing, complete: missing === 0, status };
}
