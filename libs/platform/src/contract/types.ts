/**
 * What the export reads from the platform's partner control panel, after normalization. Both adapters
 * (HTTP API and JSON folder) return exactly these shapes; see README.md for the wire formats.
 *
 * Money: `unitCost` and `price` are plain numbers in the partner's currency, rounded half away from
 * zero to at most 4 decimals (per-GB storage is priced in fractions of a cent; seats in whole cents).
 * Quantities are non-negative with at most 2 decimals (metered units such as GB may be fractional).
 */

export type AccountStatus = 'active' | 'suspended' | 'cancelled';

/** The partner (an MSP) itself. `currency` is an ISO 4217 code and applies to every cost and price. */
export interface PlatformPartner {
  id: string;
  name: string;
  currency: string;
}

/** A customer account of the partner. */
export interface PlatformAccount {
  id: string;
  name: string;
  status: AccountStatus;
}

/** One SKU of the partner's catalogue; name and description become the ConnectWise catalog item's. */
export interface PlatformSku {
  sku: string;
  name: string;
  description?: string;
  /** Unit of measure as the panel shows it: "user", "device", "GB", "license"… */
  unit?: string;
}

/**
 * One SKU an account is subscribed to, summed across all of the account's plans: exactly one entry
 * per SKU and term. `unitCost` is what the partner pays the platform for one unit (a quantity-weighted average
 * when plans bill the same SKU at different costs).
 */
export interface AccountSubscription {
  sku: string;
  quantity: number;
  unitCost: number;
  /** The commitment term; monthly when absent. A SKU sold monthly and annually is two subscriptions, never summed. */
  term?: SubscriptionTerm;
}

export type SubscriptionTerm = 'monthly' | 'annual';

/** What the partner charges its customer for one unit of a SKU. */
export interface RetailPrice {
  sku: string;
  price: number;
}

/** The partner's retail price list. A SKU missing from it has no retail price (not a price of 0). */
export interface RetailPriceList {
  currency: string;
  prices: RetailPrice[];
}

/** A user of an account with the services enabled for them (disabled ones are left out). */
export interface PlatformUser {
  id: string;
  email: string;
  displayName: string;
  services: string[];
  /** The SKUs assigned to the user, when the platform says (distinct-user bundles and user exclusions count them). */
  skus?: string[];
}

/** 1-based page number; `pageSize` between 1 and {@link MAX_PAGE_SIZE}. */
export interface PageRequest {
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  /** Items across all pages at the time of the read. */
  total: number;
  /**
   * Accounts the platform listed that break the contract (an id off the id rule, a repeated id, no name…):
   * left out of `items` and reported here so that one bad record never blocks the partner. The folder
   * adapter reports its file's on page 1.
   */
  rejected?: RejectedAccount[];
}

/** A listed account left out: its position, its id when that id is usable, and what is wrong (no values). */
export interface RejectedAccount {
  index: number;
  id?: string;
  problems: { field: string; problem: string }[];
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
