/**
 * What the export jobs report: every operation applied (or, in a preview, planned) with before and after
 * values, and the error when an account or the catalog phase fails. Plain data, safe to publish as JSON.
 */
import type { AccountResultStatus } from '@cwx/domain';
import type { CatalogEntry, ResultError, ResultWarning } from '@cwx/messaging';

export type OperationEntity = 'addition' | 'document' | 'catalogItem';
export type OperationAction = 'create' | 'update' | 'retire' | 'adopt' | 'attach' | 'replace';

export type OperationValue = number | string | null;

export interface OperationChange {
  field: string;
  before: OperationValue;
  after: OperationValue;
}

/** One write (or ownership adoption) as the export log shows it. */
export interface AppliedOperation {
  entity: OperationEntity;
  action: OperationAction;
  /** The ConnectWise record id; null in a preview for a record that would be created. */
  id: number | null;
  sku?: string;
  changes: OperationChange[];
  /** Documents this one replaced (ours, deleted after the new one was in place). */
  replacedIds?: number[];
  /** The price rule that produced the unit price written (a create, or an update of the price): issue 18's billing control. */
  priceRule?: string;
}

/** Why an account (or the catalog phase) failed: the result's error (the message contract's), with ConnectWise's details. */
export interface ExportErrorInfo extends ResultError {
  /** ConnectWise's validation errors (`errors[]`), when it sent any. */
  details?: { code?: string; field?: string; message?: string }[];
}

export interface AccountResult {
  runId: string;
  partnerId: string;
  accountId: string;
  accountName: string;
  /** `changed` when at least one ConnectWise write was made (or, in a preview, is planned). */
  status: AccountResultStatus;
  dryRun: boolean;
  operations: AppliedOperation[];
  warnings: ResultWarning[];
  error?: ExportErrorInfo;
  /** HTTP requests this job sent to ConnectWise (retries included). */
  connectwiseCalls: number;
  /** ConnectWise writes the plan called for: addition creates, updates and retires, plus the CSV upload. */
  plannedWrites: number;
  /** With a review policy: changes left waiting in the queue and their monthly amount, lines edited in ConnectWise, approved changes applied. */
  review?: { pending: number; pendingMonthlyAmount: number; edited: number; approvedApplied: number };
}

export type CatalogStatus = 'changed' | 'unchanged' | 'failed';

export interface CatalogConflict {
  sku: string;
  identifier: string;
  reason: string;
  catalogItemIds: number[];
  message: string;
}

export interface CatalogResult {
  status: CatalogStatus;
  /** Every SKU with a usable catalog item, sorted by SKU: what the account jobs get. */
  catalog: CatalogEntry[];
  operations: AppliedOperation[];
  /** SKUs without a usable item (duplicate identifier, inactive item, case collision, no products export). */
  conflicts: CatalogConflict[];
  error?: ExportErrorInfo;
  connectwiseCalls: number;
}
