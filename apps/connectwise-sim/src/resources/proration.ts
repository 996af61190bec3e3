/**
 * The simulator's model of what an agreement addition bills in a billing period, and of the addition's
 * server-derived prorate fields. What the sources say and what is our inference:
 *
 * - `effectiveDate` is the date the addition became active for billing and `cancelledDate` the date it stopped
 *   billing (the Additions tab's columns as a ConnectWise invoicing guide describes them: betterinvoice.io,
 *   docs/connectwise/agreements/additions-tab). The schemas give only their types (date-time; schemas.json,
 *   Addition, from the 2026.4 spec subset).
 * - An agreement (and its type) has `prorateFlag` ("Prorate Agreement" in the Recurring Invoicing Parameters):
 *   when it is on, an addition whose effective date is inside a billing period is billed a prorated price for
 *   that period; when it is off, a line added mid-period is billed in full from the next invoice
 *   (support.ceojuice.com, "Syncing Prorated Agreements from ConnectWise to e-automate"; sync365license.com,
 *   "How do I convert from manually having agreement additions…": with prorate on, a new addition starts the
 *   day it is added, with prorate off from the next period).
 * - `prorateCost`, `proratePrice`, `extendedProrateCost`, `extendedProratePrice` are server-derived (API-NOTES
 *   §10.4, third-party comment); "Prorate Price: prorated price, if applicable" (betterinvoice.io, above).
 * - `prorateCurrentPeriodFlag` is settable (spec) and, by its name and the ceojuice page ("ConnectWise does have
 *   the option to bill prorated items added to a contract immediately"), says whether the prorated part of the
 *   current period is billed now rather than on the next invoice. It changes when, not how much: the simulator
 *   stores it and computes nothing from it. **Unverified.**
 *
 * Inferred and **unverified** (no ConnectWise source found): the billing period is the calendar month (the
 * agreement's billing cycle is not modelled); a prorated amount is unit price × days active in the month / days in
 * the month, a line being active from its effective date (inclusive) to its cancelled date (exclusive); a quantity
 * patched in place is billed at the new quantity for the whole period (ConnectWise keeps one quantity per addition,
 * with no history of it). That last point is why a partner may prefer to end the line on the change date and start a
 * new one (libs/domain, `quantityChange: end-and-start`).
 */

const DAY = 86_400_000;

function dayOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const t = Date.parse(value.slice(0, 10) + 'T00:00:00Z');
  return Number.isNaN(t) ? undefined : t;
}

/** [start, end) of the calendar month `YYYY-MM`. */
function monthBounds(month: string): [number, number] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return [Date.UTC(y, m - 1, 1), Date.UTC(y, m, 1)];
}

/** Days the addition is active in the month, and the month's length. */
export function activeDays(addition: Record<string, unknown>, month: string): { active: number; days: number } {
  const [start, end] = monthBounds(month);
  const from = Math.max(start, dayOf(addition.effectiveDate) ?? start);
  const to = Math.min(end, dayOf(addition.cancelledDate) ?? end);
  return { active: Math.max(0, Math.round((to - from) / DAY)), days: Math.round((end - start) / DAY) };
}

/**
 * What the addition bills for the month: quantity × unit price, times the active share of the month when the
 * agreement prorates; on an agreement that does not prorate, the whole month when the line is active on the
 * month's first day (a line added later bills from the next month), nothing otherwise.
 */
export function billedInMonth(addition: Record<string, unknown>, prorates: boolean, month: string): number {
  const full = Number(addition.quantity ?? 0) * Number(addition.unitPrice ?? 0);
  const { active, days } = activeDays(addition, month);
  if (prorates) return Math.round(((full * active) / days) * 100) / 100;
  const [start] = monthBounds(month);
  const effective = dayOf(addition.effectiveDate) ?? start;
  const cancelled = dayOf(addition.cancelledDate);
  return effective <= start && (cancelled === undefined || cancelled > start) ? full : 0;
}

/** The derived prorate fields of an addition: the part of its first month it is billed for, when the agreement prorates; 0 otherwise. */
export function prorateFields(addition: Record<string, unknown>, prorates: boolean): Record<string, number> {
  const effective = typeof addition.effectiveDate === 'string' ? addition.effectiveDate.slice(0, 7) : undefined;
  const { active, days } = effective ? activeDays(addition, effective) : { active: 0, days: 1 };
  const share = prorates && effective && active < days ? active / days : 0;
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  const quantity = Number(addition.quantity ?? 0);
  const proratePrice = round(Number(addition.unitPrice ?? 0) * share);
  const prorateCost = round(Number(addition.unitCost ?? 0) * share);
  return { proratePrice, prorateCost, extendedProratePrice: round(proratePrice * quantity), extendedProrateCost: round(prorateCost * quantity) };
}
