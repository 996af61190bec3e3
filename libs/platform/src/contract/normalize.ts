import type { AccountSubscription, PlatformUser, RetailPriceList, SubscriptionTerm } from './types';

/** Money keeps at most this many decimals. */
export const MONEY_DECIMALS = 4;
/** Quantities keep at most this many decimals. */
export const QUANTITY_DECIMALS = 2;

/**
 * Rounds half away from zero to `decimals` places. The value is first cut to 15 significant digits
 * so binary noise (1.00005 stored as 1.000049999…) does not flip the rounding direction.
 */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const shifted = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(shifted)) / factor;
  return rounded === 0 ? 0 : rounded; // no -0
}

export const roundMoney = (value: number): number => roundTo(value, MONEY_DECIMALS);
export const roundQuantity = (value: number): number => roundTo(value, QUANTITY_DECIMALS);

/** Compares strings by UTF-16 code units: the same order in every locale and on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One SKU line of one plan of an account, as the platform stores it. */
export interface PlanLine {
  planId: string;
  planName?: string;
  sku: string;
  quantity: number;
  unitCost: number;
  /** Monthly when absent. */
  term?: SubscriptionTerm;
}

/**
 * Sums an account's plan lines into one subscription per SKU and term (ascending SKU order, monthly first); lines of
 * different terms are never summed. The quantity is
 * the sum; the unit cost is the quantity-weighted average cost, so quantity × unitCost equals what
 * the partner pays for the SKU overall; when the total quantity is 0 it is the first line's cost.
 */
export function sumPlanLines(lines: readonly PlanLine[]): AccountSubscription[] {
  const bySku = new Map<string, { sku: string; term: SubscriptionTerm; quantity: number; amount: number; firstCost: number }>();
  for (const line of lines) {
    const term = line.term ?? 'monthly';
    const key = `${term === 'monthly' ? 0 : 1}\u0000${line.sku}`;
    const entry = bySku.get(key) ?? { sku: line.sku, term, quantity: 0, amount: 0, firstCost: line.unitCost };
    entry.quantity += line.quantity;
    entry.amount += line.quantity * line.unitCost;
    bySku.set(key, entry);
  }
  return [...bySku.values()]
    .sort((a, b) => compareCodeUnits(a.sku, b.sku) || compareCodeUnits(a.term, b.term) * -1)
    .map((e) => ({
      sku: e.sku,
      quantity: roundQuantity(e.quantity),
      unitCost: roundMoney(e.quantity > 0 ? e.amount / e.quantity : e.firstCost),
      ...(e.term === 'monthly' ? {} : { term: e.term }),
    }));
}

/** A user as the platform stores it: every service assigned, each enabled or not. */
export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  services: { name: string; enabled: boolean }[];
  /** The SKUs assigned to the user (optional in the contract). */
  skus?: string[];
}

/** Keeps enabled services only (first occurrence order, no repeats); users in ascending id order. */
export function toPlatformUsers(records: readonly UserRecord[]): PlatformUser[] {
  return [...records]
    .sort((a, b) => compareCodeUnits(a.id, b.id))
    .map((r) => ({
      id: r.id,
      email: r.email,
      displayName: r.displayName,
      services: [...new Set(r.services.filter((s) => s.enabled).map((s) => s.name))],
      ...(r.skus === undefined ? {} : { skus: [...new Set(r.skus)].sort(compareCodeUnits) }),
    }));
}

/** The SKU catalogue in ascending SKU order. */
export function sortSkus<T extends { sku: string }>(skus: readonly T[]): T[] {
  return [...skus].sort((a, b) => compareCodeUnits(a.sku, b.sku));
}

/** The retail price list in ascending SKU order, prices rounded like all money. */
export function toRetailPriceList(currency: string, prices: readonly { sku: string; price: number }[]): RetailPriceList {
  return { currency, prices: sortSkus(prices).map((p) => ({ sku: p.sku, price: roundMoney(p.price) })) };
}

/** A UTF-16 surrogate without its other half: not a character, stored as U+FFFD by PostgreSQL. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Platform text made storable and printable: NUL characters removed (PostgreSQL cannot store them) and
 * lone surrogates replaced by U+FFFD. One bad name is then shown as it was meant, never blocking a partner.
 */
export function neutraliseText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD');
}
