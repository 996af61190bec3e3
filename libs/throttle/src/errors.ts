/**
 * `acquire` would have had to wait longer than allowed. Nothing was reserved: hand the job back to the
 * broker with a delay of about `retryAfterMs` instead of holding a worker slot.
 */
export class BudgetWaitTooLongError extends Error {
  override readonly name = 'BudgetWaitTooLongError';

  constructor(
    readonly partnerId: string,
    /** When a token (or the end of the pause) is expected, from now. */
    readonly retryAfterMs: number,
    readonly maxWaitMs: number,
  ) {
    super(`request budget for partner ${partnerId}: next slot in ${retryAfterMs} ms, more than the ${maxWaitMs} ms allowed`);
  }
}

export function isBudgetWaitTooLong(error: unknown): error is BudgetWaitTooLongError {
  return error instanceof BudgetWaitTooLongError;
}
