/**
 * What a partner chose to export. The control plane stores it; the domain only reads it.
 */
export type DisappearedSkuPolicy = { mode: 'zero' } | { mode: 'cancel' };

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
}

/**
 * Conservative defaults for a new partner: products and quantities are exported, money is not
 * (so nobody's manual prices are overwritten until they opt in), disappeared SKUs go to quantity 0.
 */
export const DEFAULT_EXPORT_SETTINGS: Readonly<ExportSettings> = Object.freeze({
  products: true,
  quantity: true,
  cost: false,
  retailPrice: false,
  usersList: false,
  disappearedSku: Object.freeze({ mode: 'zero' as const }),
});
