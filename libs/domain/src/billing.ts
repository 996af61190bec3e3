/**
 * Billing control (issue 18): how the partner's platform SKUs land on agreement lines. Product mapping (a SKU onto
 * an existing ConnectWise catalog item, "create it", "hold until mapped", "do not bill"), bundles (several SKUs on
 * one item), price rules per product mapping overridable per account, exclusions, terms and included quantities.
 * Plain data the control plane stores and the plan reads; rules and reasons: libs/domain/README.md, "Billing control".
 */
import { DomainError, DomainErrorCode } from './errors';

/** How often a subscription is committed and billed. Monthly and annual are two lines, never summed. */
export type Term = 'monthly' | 'annual';
export const TERMS: readonly Term[] = ['monthly', 'annual'];
/** The term of a subscription that does not say (the platform's lines before terms were carried). */
export const DEFAULT_TERM: Term = 'monthly';

/**
 * What a SKU becomes in ConnectWise:
 * - `create`: its own catalog item, identifier = the SKU (found, or created by the catalog phase): today's behaviour;
 * - `item`: an existing catalog item the partner picked; several SKUs on one item make a bundle;
 * - `hold`: not billed until the partner maps it (nothing created);
 * - `do-not-bill`: never billed.
 * A SKU whose action changes moves its line at the next run: the old line retires (zero or cancel, per the
 * disappeared-SKU policy), the new one is created or adopted.
 */
export type ProductAction = { kind: 'create' } | { kind: 'item'; catalogItemId: number } | { kind: 'hold' } | { kind: 'do-not-bill' };

/**
 * The unit price written on a line:
 * - `platform-retail`: the platform's retail price (the default, when `retailPrice` export is on; an explicit rule writes it whatever that setting);
 * - `catalog`: the catalog item's own price in ConnectWise: we never write a price (a new line takes the item's);
 * - `markup`: unit cost × (1 + percent / 100), rounded half away from zero to `decimals` (default 2);
 * - `fixed`: this amount.
 */
export type PriceRule =
  | { kind: 'platform-retail' }
  | { kind: 'catalog' }
  | { kind: 'markup'; percent: number; decimals?: number }
  | { kind: 'fixed'; amount: number };
export const PRICE_RULE_KINDS = ['platform-retail', 'catalog', 'markup', 'fixed'] as const;
/** Decimals a markup price is rounded to when its rule does not say. */
export const DEFAULT_MARKUP_DECIMALS = 2;

/** A SKU's mapping, for one term or (term absent) for every term; a term-specific mapping wins. */
export interface ProductMapping {
  sku: string;
  term?: Term;
  action: ProductAction;
  /** The price rule of the SKU's lines; absent: the default (platform retail when `retailPrice` is on, else none). */
  price?: PriceRule;
}

/** How a catalog item holding several SKUs counts: the sum of their quantities, or the distinct users holding any. */
export type BundleQuantity = 'sum' | 'distinct-users';
export interface BundleRule {
  catalogItemId: number;
  quantity: BundleQuantity;
}

/** One account's overrides. */
export interface AccountBilling {
  /** Price rule per product mapping (SKU, optionally one term) for this account. */
  prices: { sku: string; term?: Term; price: PriceRule }[];
  /** The SKU is not billed for this account (`sku`), or this user's units are not billed (`userId`): paid elsewhere. */
  exclusions: Exclusion[];
  /** The customer's package includes N units of the SKU: written as the addition's `lessIncluded`. */
  included: { sku: string; term?: Term; quantity: number }[];
}

export type Exclusion = { sku: string; userId?: undefined; reason: string } | { userId: string; sku?: undefined; reason: string };

export interface BillingControl {
  /** What an unmapped SKU does: `create` its own item (the default) or `hold` until mapped. */
  unmapped: 'create' | 'hold';
  products: ProductMapping[];
  bundles: BundleRule[];
  account: AccountBilling;
}

export const DEFAULT_BILLING_CONTROL: Readonly<BillingControl> = Object.freeze({
  unmapped: 'create' as const,
  products: [],
  bundles: [],
  account: { prices: [], exclusions: [], included: [] },
});

/** A user as the plan counts them: the SKUs assigned to them (when the platform says). */
export interface BillingUser {
  id: string;
  skus?: readonly string[];
}

/** The mapping that applies to (sku, term): the term's own, else the SKU's, else the unmapped default. */
export function productActionFor(billing: BillingControl, sku: string, term: Term): { action: ProductAction; price?: PriceRule; mapped: boolean } {
  const own = billing.products.find((m) => m.sku === sku && m.term === term) ?? billing.products.find((m) => m.sku === sku && m.term === undefined);
  if (own) return { action: own.action, ...(own.price ? { price: own.price } : {}), mapped: true };
  return { action: billing.unmapped === 'hold' ? { kind: 'hold' } : { kind: 'create' }, mapped: false };
}

/** The SKUs whose own catalog item the catalog phase makes sure of: those that are `create` for at least one term. */
export function skusWithOwnItem(billing: BillingControl, skus: readonly string[]): Set<string> {
  return new Set(skus.filter((sku) => TERMS.some((term) => productActionFor(billing, sku, term).action.kind === 'create')));
}

/** The line key: one line per (agreement, catalog item, term). Stored as the ownership record's key. */
export function lineKey(catalogItemId: number, term: Term): string {
  return `item:${catalogItemId}:${term}`;
}

/** `item:<id>:<term>` → its parts; undefined for anything else (a record written before issue 18 holds a SKU). */
export function parseLineKey(key: string): { catalogItemId: number; term: Term } | undefined {
  const match = /^item:(\d{1,15}):(monthly|annual)$/.exec(key);
  if (!match) return undefined;
  return { catalogItemId: Number(match[1]), term: match[2] as Term };
}

/** Rounds half away from zero to `decimals` (0-4), cutting binary noise first (1.005 → 1.01). */
export function roundHalfAway(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const shifted = Number((Math.abs(value) * factor).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(shifted)) / factor;
  return rounded === 0 ? 0 : rounded;
}

/** Throws `DomainError(DOMAIN_INVALID_BILLING)` for a rule no plan could apply; the API checks the same before saving. */
export function validatePriceRule(rule: PriceRule): void {
  const bad = (message: string) => {
    throw new DomainError(DomainErrorCode.InvalidBilling, message);
  };
  if (rule.kind === 'markup') {
    if (!Number.isFinite(rule.percent) || rule.percent < -100 || rule.percent > 10_000) bad('A markup is a percentage between -100 and 10000.');
    if (rule.decimals !== undefined && (!Number.isInteger(rule.decimals) || rule.decimals < 0 || rule.decimals > 4)) bad('A markup rounds to 0-4 decimals.');
  }
  if (rule.kind === 'fixed' && (!Number.isFinite(rule.amount) || rule.amount < 0)) bad('A fixed price is a number of 0 or more.');
}

/** How the rule reads in the log. */
export function describePriceRule(rule: PriceRule | undefined): string {
  if (!rule) return 'platform retail price (default)';
  switch (rule.kind) {
    case 'platform-retail':
      return 'platform retail price';
    case 'catalog':
      return "the catalog item's own price";
    case 'markup':
      return `cost + ${rule.percent}% (rounded half away from zero to ${rule.decimals ?? DEFAULT_MARKUP_DECIMALS} decimals)`;
    case 'fixed':
      return `fixed ${rule.amount}`;
  }
}

/** Two rules that price alike. */
export function samePriceRule(a: PriceRule | undefined, b: PriceRule | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
