/**
 * Money and quantity comparison.
 *
 * ConnectWise shows prices and costs with two decimals and may round what it stores, so values within
 * half a cent are the same amount: writing them again would only make the next run write once more.
 * Anything a cent or more apart is different. Quantities are compared exactly.
 */
export const MONEY_TOLERANCE = 0.005;

/** Float slack so that 12.345 against 12.35 (a half-cent apart, stored as 0.00500000000000078) still counts as equal. */
const FLOAT_SLACK = 1e-9;

/** Decimal places kept in the values we send: drops float noise (0.1 + 0.2) without losing sub-cent unit prices. */
const SENT_DECIMALS = 4;

/** Whether two amounts are the same for ConnectWise. A missing amount (null/undefined) equals only another missing one. */
export function moneyEquals(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null);
  }
  return Math.abs(a - b) <= MONEY_TOLERANCE + FLOAT_SLACK;
}

/** Whether two quantities are the same: exact, missing equals only missing. */
export function quantityEquals(a: number | null | undefined, b: number | null | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/** The amount as sent to ConnectWise: at most four decimals, no float noise, never -0. */
export function normaliseMoney(amount: number): number {
  const factor = 10 ** SENT_DECIMALS;
  const rounded = Math.round(amount * factor) / factor;
  return rounded === 0 ? 0 : rounded;
}
