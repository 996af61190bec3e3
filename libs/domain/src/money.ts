/**
 * Money and quantity comparison.
 *
 * Amounts are compared at the precision we send: four decimals (`MONEY_DECIMALS`). ConnectWise keeps what it is
 * sent for these fields: the schemas type addition `unitCost`/`unitPrice` and catalog `cost`/`price` as
 * `number/double` with no scale, the simulator stores the value as sent, and ConnectWise holds sub-cent unit
 * prices on products (rounding to cents only on the invoice). So two amounts are the same exactly when they are
 * the same at four decimals: a changed price is always written (0.0443 → 0.0483), an unchanged one never is.
 * Quantities are compared exactly. Reasons and sources: libs/domain/README.md, "Money and quantities".
 */

/** Decimal places of the amounts we send and compare. */
export const MONEY_DECIMALS = 4;

const FACTOR = 10 ** MONEY_DECIMALS;

/** The amount in ten-thousandths, as an integer: the unit money is compared in. */
function units(amount: number): number {
  return Math.round(amount * FACTOR);
}

/** Whether two amounts are the same at the precision we send. A missing amount (null/undefined) equals only another missing one. */
export function moneyEquals(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null);
  }
  return units(a) === units(b);
}

/** Whether two quantities are the same: exact, missing equals only missing. */
export function quantityEquals(a: number | null | undefined, b: number | null | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

/** The amount as sent to ConnectWise: at most four decimals, no float noise, never -0. `moneyEquals(normalizeMoney(x), x)` holds. */
export function normalizeMoney(amount: number): number {
  const rounded = units(amount) / FACTOR;
  return rounded === 0 ? 0 : rounded;
}
