/**
 * What a partner chose to export. The control plane stores it; the domain only reads it.
 */
export type DisappearedSkuPolicy = { mode: 'zero' } | { mode: 'cancel' };

/**
 * A SKU with no retail price while retail prices are exported: `fail-line` writes nothing for that SKU's line (not
 * created, not updated, not retired) and warns; `skip-price` writes the line without a unit price (a new addition
 * takes ConnectWise's catalog price, an existing one keeps its price) and warns.
 */
export type MissingRetailPricePolicy = 'fail-line' | 'skip-price';
export const MISSING_RETAIL_PRICE_POLICIES: readonly MissingRetailPricePolicy[] = ['fail-line', 'skip-price'];

/**
 * A suspended or cancelled platform account: `bill` as usual (with a warning), `zero` sets our additions' quantity to 0,
 * `cancel` cancels them on the run date. Nothing is created for such an account, and nothing is ever deleted; when the
 * account is active again its lines come back (the reactivation rule).
 */
export type InactiveAccountPolicy = 'bill' | 'zero' | 'cancel';
export const INACTIVE_ACCOUNT_POLICIES: readonly InactiveAccountPolicy[] = ['bill', 'zero', 'cancel'];

/** The platform's account status (`@cwx/platform` AccountStatus). */
export type PlatformAccountStatus = 'active' | 'suspended' | 'cancelled';

export interface ExportSettings {
  /** Each resold SKU becomes a ConnectWise catalog item (created when missing). */
  products: boolean;
  /** Keep addition quantities in step with the platform. */
  quantity: boolean;
  /** Write what the partner pays the platform as the unit cost (catalog and additions). */
  cost: boolean;
  /** Write the partner's retail price as the unit price; otherwise a manual price in ConnectWise stays. */
  retailPrice: boolean;
  /** Attach the users-and-services CSV to the agreement. */
  usersList: boolean;
  /** What happens to an owned addition whose SKU left the account: quantity 0, or cancelled on the run date. */
  disappearedSku: DisappearedSkuPolicy;
  /** A SKU with no retail price while `retailPrice` is on. */
  missingRetailPrice: MissingRetailPricePolicy;
  /** What a suspended platform account's additions get. */
  suspendedAccounts: InactiveAccountPolicy;
  /** What a cancelled platform account's additions get. */
  cancelledAccounts: InactiveAccountPolicy;
}

/**
 * The settings of a partner who saved none, and the database's column defaults (export_settings): one set,
 * checked against both by test/persistence/settings-defaults.test.ts. Products, quantities and the users CSV
 * are exported, money is not (so nobody's manual prices are overwritten until they opt in), disappeared SKUs go
 * to quantity 0.
 * A SKU with no retail price is not billed (`fail-line`): no line goes out at a price nobody set. Suspended and
 * cancelled accounts go to quantity 0 (`zero`): nobody is billed for a service they no longer have, the lines stay
 * visible, and they come back by themselves when the account is active again.
 */
export const DEFAULT_EXPORT_SETTINGS: Readonly<ExportSettings> = Object.freeze({
  products: true,
  quantity: true,
  cost: false,
  retailPrice: false,
  usersList: true,
  disappearedSku: Object.freeze({ mode: 'zero' as const }),
  missingRetailPrice: 'fail-line',
  suspendedAccounts: 'zero',
  cancelledAccounts: 'zero',
});
