/**
 * The account plan's vocabulary: what the platform wants, what ConnectWise holds, and what to do about it.
 */

/** One SKU the account should be billed for. */
export interface DesiredAddition {
  sku: string;
  quantity: number;
  /** What the partner pays the platform per unit. */
  unitCost: number;
  /** The partner's retail price per unit, when the partner has one for this SKU. */
  retailPrice?: number;
}

/** An addition on the mapped agreement, as ConnectWise returned it (API notes §10.4). */
export interface ActualAddition {
  id: number;
  productId: number;
  productIdentifier?: string;
  quantity?: number | null;
  unitCost?: number | null;
  unitPrice?: number | null;
  cancelledDate?: string | null;
  effectiveDate?: string | null;
}

/** Our record that an addition on this agreement is the one we keep for a SKU (created or adopted by us); one per SKU. */
export interface OwnershipRecord {
  sku: string;
  additionId: number;
}

export type AdditionField = 'cancelledDate' | 'quantity' | 'unitCost' | 'unitPrice';

/** One field of one addition, before and after: what the export log shows. */
export interface FieldChange {
  field: AdditionField;
  before: number | string | null;
  after: number | string | null;
}

export interface CreateAddition {
  kind: 'create';
  sku: string;
  productId: number;
  quantity: number;
  unitCost?: number;
  unitPrice?: number;
  billCustomer: 'Billable';
  /** ConnectWise date-time of the run date, e.g. 2024-06-30T00:00:00Z. */
  effectiveDate: string;
}

/** Record ownership of an addition found on the agreement. No ConnectWise write of its own. */
export interface AdoptAddition {
  kind: 'adopt';
  sku: string;
  additionId: number;
  /** The addition id of a stale ownership record this one replaces (its addition is gone). */
  replacesAdditionId?: number;
}

/** One PATCH of one addition, carrying only the fields that differ. */
export interface UpdateAddition {
  kind: 'update';
  sku: string;
  additionId: number;
  changes: FieldChange[];
  /** The addition had been retired (cancelled or at quantity 0) and is brought back. */
  reactivates: boolean;
}

/** An owned addition whose SKU left the account: quantity to 0, or cancelled on the run date. Never deleted. */
export interface RetireAddition {
  kind: 'retire';
  sku: string;
  additionId: number;
  mode: 'zero' | 'cancel';
  changes: FieldChange[];
}

export type AccountOperation = CreateAddition | AdoptAddition | UpdateAddition | RetireAddition;

export type SkipReason =
  /** The catalog phase gave no catalog item id for the SKU. */
  | 'no-catalog-item'
  /** Our addition for the SKU was removed in ConnectWise; we do not re-create what someone deleted. */
  | 'owned-addition-missing'
  /** Our addition now holds another product; someone re-pointed it, so we leave it be. */
  | 'owned-addition-product-changed'
  /** The product is on the agreement only in additions that are ours for other SKUs: never duplicated. */
  | 'product-held-by-another-sku'
  /** Desired quantity is 0 and there is no live addition: nothing to bill. */
  | 'zero-quantity'
  /** Quantity or money is not a finite number, or the quantity is negative. */
  | 'invalid-desired'
  /** The SKU is listed more than once with different cost or price. */
  | 'conflicting-desired-lines';

export interface SkippedSku {
  sku: string;
  reason: SkipReason;
  message: string;
}

export type PlanWarningCode =
  /** More than one live addition holds the SKU's product and none is ours: the lowest id was adopted. */
  | 'ambiguous-additions'
  /** Several SKUs' ownership records point at one addition: only the first SKU keeps it. */
  | 'shared-ownership';

export interface PlanWarning {
  code: PlanWarningCode;
  sku: string;
  additionIds: number[];
  message: string;
}

export interface AccountPlanSummary {
  /** `unchanged` exactly when the plan makes no ConnectWise write. */
  status: 'changed' | 'unchanged';
  writes: number;
  creates: number;
  updates: number;
  retires: number;
  adopts: number;
  unchanged: number;
  skipped: number;
  warnings: number;
}

export interface AccountPlan {
  /** Sorted by SKU; for one SKU an adopt comes before its update. */
  operations: AccountOperation[];
  skipped: SkippedSku[];
  warnings: PlanWarning[];
  /** Desired SKUs whose ConnectWise line needs no write (adopted ones included). */
  unchanged: string[];
  /** ConnectWise write calls the plan implies: one per create, update and retire. */
  writes: number;
  summary: AccountPlanSummary;
}
