/**
 * What the export jobs report: every operation applied (or, in a preview, planned) with before and after
 * values, and the error when an account or the catalog phase fails. Plain data, safe to publish as JSON.
 */
import type { AccountResultStatus } from '@cwx/domain';

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
}

export type ExportErrorKind =
  /** ConnectWise error kinds (`@cwx/connectwise` ConnectWiseErrorKind). */
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'invalid'
  | 'object-exists'
  | 'conflict'
  | 'throttled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'unexpected-response'
  | 'site-not-allowed'
  | 'unknown-company'
  /** Platform errors. */
  | 'platform-not-found'
  | 'platform-unavailable'
  | 'platform-unauthorized'
  | 'platform-rejected'
  | 'platform-invalid-data'
  /** Our own store (PostgreSQL) failed. */
  | 'store'
  /** The partner's settings do not allow the work (e.g. no catalog subcategory). */
  | 'settings'
  /** The job's input is unusable (e.g. a malformed run date). */
  | 'invalid-input';

/** Why an account (or the catalog phase) failed. For ConnectWise errors `code` and `message` carry ConnectWise's. */
export interface ExportErrorInfo {
  kind: ExportErrorKind;
  /** ConnectWise's code (`InvalidObject`, `Security`…) or ours (`PLATFORM_NOT_FOUND`, `EXPORT_MISSING_DEFAULTS`…). */
  code?: string;
  message: string;
  /** HTTP status, for ConnectWise errors. */
  status?: number;
  /** ConnectWise's validation errors (`errors[]`), when it sent any. */
  details?: { code?: string; field?: string; message?: string }[];
}

export interface ExportWarning {
  code: string;
  sku?: string;
  message: string;
}

export type AccountStatus = AccountResultStatus;

export interface AccountResult {
  runId: string;
  partnerId: string;
  accountId: string;
  accountName: string;
  /** `changed` when at least one ConnectWise write was made (or, in a preview, is planned). */
  status: AccountStatus;
  dryRun: boolean;
  operations: AppliedOperation[];
  warnings: ExportWarning[];
  error?: ExportErrorInfo;
  /** HTTP requests this job sent to ConnectWise (retries included). */
  connectwiseCalls: number;
  /** ConnectWise writes the plan called for: addition creates, updates and retires, plus the CSV upload. */
  plannedWrites: number;
}

export type CatalogStatus = 'changed' | 'unchanged' | 'failed';

export interface CatalogEntry {
  sku: string;
  catalogItemId: number;
}

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
