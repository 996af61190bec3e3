/**
 * The account plan's vocabulary: what the platform wants, what ConnectWise holds, and what to do about it.
 */
import type { Term } from './billing';

/** One SKU the account should be billed for. */
export interface DesiredAddition {
  sku: string;
  quantity: number;
  /** What the partner pays the platform per unit. */
  unitCost: number;
  /** The partner's retail price per unit, when the partner has one for this SKU. */
  retailPrice?: number;
  /** Monthly when absent. A SKU sold monthly and annually is two lines, never summed. */
  term?: Term;
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
  /** Units the customer's package includes (ConnectWise bills quantity − lessIncluded). */
  lessIncluded?: number | null;
  /** The text on the invoice; a line we created for a non-monthly term ends with its term (`termOfAddition`). */
  invoiceDescription?: string | null;
}

/**
 * Our record that an addition on this agreement is the one we keep for a line (created or adopted by us); one per key.
 * The key is the line's `item:<catalogItemId>:<term>`; a record written before issue 18 holds the SKU whose own item
 * the line was, and is read as that item's monthly line.
 */
export interface OwnershipRecord {
  key: string;
  additionId: number;
}

export type AdditionField = 'cancelledDate' | 'quantity' | 'unitCost' | 'unitPrice' | 'lessIncluded';

/** One field of one addition, before and after: what the export log shows. */
export interface FieldChange {
  field: AdditionField;
  before: number | string | null;
  after: number | string | null;
}

export interface CreateAddition {
  kind: 'create';
  /** The line's label: its SKU(s), with the term when not monthly. */
  sku: string;
  /** The line's key (`item:<catalogItemId>:<term>`): one line per agreement, catalog item and term. */
  key: string;
  /** What the line's ownership record holds (the SKU for a SKU alone on its own item, monthly; else the key). */
  record: string;
  productId: number;
  quantity: number;
  unitCost?: number;
  unitPrice?: number;
  /** Included units (ConnectWise's "less included"), when a rule sets them. */
  lessIncluded?: number;
  /** Set on a line of a non-monthly term so it reads apart from the monthly one (`… (annual term)`). */
  invoiceDescription?: string;
  billCustomer: 'Billable';
  /** ConnectWise date-time of the run date, e.g. 2024-06-30T00:00:00Z. */
  effectiveDate: string;
}

/** Record ownership of an addition found on the agreement. No ConnectWise write of its own. */
export interface AdoptAddition {
  kind: 'adopt';
  sku: string;
  key: string;
  record: string;
  additionId: number;
  /** The addition id of a stale ownership record this one replaces (its addition is gone). */
  replacesAdditionId?: number;
}

/** One PATCH of one addition, carrying only the fields that differ. */
export interface UpdateAddition {
  kind: 'update';
  sku: string;
  key: string;
  record: string;
  additionId: number;
  changes: FieldChange[];
  /** The addition had been retired (cancelled or at quantity 0) and is brought back. */
  reactivates: boolean;
}

/** An owned addition whose SKU left the account: quantity to 0, or cancelled on the run date. Never deleted. */
export interface RetireAddition {
  kind: 'retire';
  sku: string;
  key: string;
  record: string;
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
  | 'conflicting-desired-lines'
  /** Retail prices are exported, the SKU has none, and the policy is `fail-line`: its line is not written. */
  | 'missing-retail-price'
  /** The SKU is unmapped and the partner holds unmapped SKUs until they are mapped. */
  | 'held-until-mapped'
  /** The SKU is marked "do not bill". */
  | 'do-not-bill';

export interface SkippedSku {
  sku: string;
  reason: SkipReason;
  message: string;
}

export type PlanWarningCode =
  /** More than one live addition holds the SKU's product and none is ours: the lowest id was adopted. */
  | 'ambiguous-additions'
  /** Several SKUs' ownership records point at one addition: only the first SKU keeps it. */
  | 'shared-ownership'
  /** Retail prices are exported, the SKU has none, and the policy is `skip-price`: its line is written without a price. */
  | 'missing-retail-price'
  /** The platform account is suspended or cancelled: what its policy did (billed as usual, zeroed, cancelled). */
  | 'account-suspended'
  | 'account-cancelled'
  /** Units left out of the line's quantity by an exclusion (per account and SKU, or per user), with the reasons. */
  | 'excluded'
  /** A bundle counts distinct users, but the platform gave no SKUs per user: the sum is used. */
  | 'bundle-users-unknown'
  /** The SKUs of a bundle have different price rules: the first SKU's is used. */
  | 'bundle-price-rules-differ';

export interface PlanWarning {
  code: PlanWarningCode;
  /** Absent for a warning about the whole account. */
  sku?: string;
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

/** A line the plan wants, with the rule that produced its price: what the log shows next to each write. */
export interface PlannedLine {
  key: string;
  sku: string;
  skus: string[];
  term: Term;
  productId: number;
  quantity: number;
  unitPrice?: number;
  priceRule: string;
  lessIncluded?: number;
}

export interface AccountPlan {
  /** Sorted by label (SKU); for one line an adopt comes before its update. */
  operations: AccountOperation[];
  /** Every line the plan wants, sorted by label. */
  lines: PlannedLine[];
  skipped: SkippedSku[];
  warnings: PlanWarning[];
  /** Desired SKUs whose ConnectWise line needs no write (adopted ones included). */
  unchanged: string[];
  /** ConnectWise write calls the plan implies: one per create, update and retire. */
  writes: number;
  summary: AccountPlanSummary;
}
