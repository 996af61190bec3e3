/**
 * Account phase: desired SKUs (platform) against the agreement's additions (ConnectWise) → the writes that
 * bring ConnectWise in step, and nothing for what already is. Rules and decisions: libs/domain/README.md.
 */
import type {
  AccountOperation,
  AccountPlan,
  ActualAddition,
  DesiredAddition,
  FieldChange,
  OwnershipRecord,
  PlannedLine,
  PlanWarning,
  SkipReason,
  SkippedSku,
} from './account-types';
import { type BillingControl, type BillingUser, DEFAULT_BILLING_CONTROL, parseLineKey } from './billing';
import { type BillingLine, billingLines } from './billing-lines';
import { compareText } from './collections';
import { DomainError, DomainErrorCode } from './errors';
import { moneyEquals, normalizeMoney, quantityEquals } from './money';
import { isCancelled, type Ownership, refindByProduct, resolveOwnership, termSuffix } from './ownership';
import type { ExportSettings, InactiveAccountPolicy, PlatformAccountStatus } from './settings';

export interface PlanAccountInput {
  desired: readonly DesiredAddition[];
  /** SKU → the SKU's own ConnectWise catalog item id, from the catalog phase (what "create it" bills on). */
  catalog: ReadonlyMap<string, number>;
  /** Every addition on the mapped agreement. */
  actual: readonly ActualAddition[];
  /** Our ownership records for this agreement. */
  ownership: readonly OwnershipRecord[];
  settings: ExportSettings;
  /** The run's calendar date in the partner's time zone, `YYYY-MM-DD`. */
  runDate: string;
  /** The platform account's status; `active` when absent. */
  accountStatus?: PlatformAccountStatus;
  /** Product mapping, bundles, price rules, exclusions and included quantities; none when absent (every SKU on its own item). */
  billing?: BillingControl;
  /** The account's users with their SKUs: counted by distinct-user bundles and user exclusions. */
  users?: readonly BillingUser[];
}

const KIND_ORDER: Record<AccountOperation['kind'], number> = { adopt: 0, create: 1, update: 2, retire: 3 };

export function planAccount(input: PlanAccountInput): AccountPlan {
  const runDateTime = toConnectWiseDateTime(input.runDate);
  const { settings } = input;
  const billing = input.billing ?? DEFAULT_BILLING_CONTROL;
  const status = input.accountStatus ?? 'active';
  const policy = statusPolicy(status, settings);
  // A suspended or cancelled account whose policy stops billing: nothing is desired, so every owned line retires.
  const billed = policy === 'bill';
  const additions = new Map(input.actual.map((addition) => [addition.id, addition]));
  const wanted = billingLines({ desired: billed ? input.desired : [], catalog: input.catalog, billing, users: input.users, settings });
  const { lines, skipped } = wanted;
  const warnings: PlanWarning[] = [];
  const ownership = resolveOwnership(input.ownership, additions, input.catalog);
  warnings.push(...ownership.warnings, ...wanted.warnings);
  const desiredKeys = new Set([...lines.map((line) => line.key), ...wanted.heldKeys]);
  const claimed = new Set(ownership.kept.values());
  const operations: AccountOperation[] = [];
  const unchanged: string[] = [];

  for (const line of lines) {
    const found = locate(line, input, additions, ownership, claimed, warnings);
    if (found.kind !== 'skip' && line.missingRetailPrice) {
      if (settings.missingRetailPrice === 'fail-line') {
        skipped.push({ sku: line.sku, reason: 'missing-retail-price', message: 'No retail price for this SKU: its line is not written until the price list has one.' });
        continue;
      }
      warnings.push({
        code: 'missing-retail-price',
        sku: line.sku,
        additionIds: found.kind === 'create' ? [] : [found.addition.id],
        message: 'No retail price for this SKU: the line is written without a unit price (ConnectWise keeps its own).',
      });
    }
    switch (found.kind) {
      case 'skip':
        skipped.push({ sku: line.sku, reason: found.reason, message: found.message });
        continue;
      case 'create':
        operations.push(createOperation(line, settings, runDateTime));
        continue;
      case 'adopt':
        claimed.add(found.addition.id);
        operations.push({ kind: 'adopt', sku: line.sku, key: line.key, record: line.record, additionId: found.addition.id, ...found.replaces });
        break;
      case 'owned':
        break;
    }
    const { changes, reactivates } = additionChanges(found.addition, line, settings);
    if (changes.length > 0) operations.push({ kind: 'update', sku: line.sku, key: line.key, record: line.record, additionId: found.addition.id, changes, reactivates });
    else unchanged.push(line.sku);
  }

  const retireMode = policy === 'bill' ? settings.disappearedSku.mode : policy;
  for (const [key, additionId] of ownership.kept) {
    const addition = additions.get(additionId);
    const storedAs = ownership.storedAs.get(key) ?? key;
    if (desiredKeys.has(key) || wanted.heldSkus.has(storedAs) || !addition || isRetired(addition)) continue;
    operations.push(retireOperation(retiredLabel(storedAs, key, input.catalog), key, storedAs, addition, retireMode, runDateTime));
  }
  if (status !== 'active') warnings.push(statusWarning(status, policy, operations));

  operations.sort((a, b) => compareText(a.sku, b.sku) || compareText(a.key, b.key) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  skipped.sort((a, b) => compareText(a.sku, b.sku));
  return assemblePlan(operations, skipped, warnings, unchanged, lines.map(plannedLine));
}

/** A retired line's label: the SKU its record was stored under, else the SKU whose own item it is, else its key. */
export function retiredLabel(storedAs: string, key: string, catalog: ReadonlyMap<string, number>): string {
  if (!parseLineKey(storedAs)) return storedAs;
  const parsed = parseLineKey(key);
  const owners = [...catalog].filter(([, id]) => id === parsed?.catalogItemId).map(([sku]) => sku).sort(compareText);
  if (owners.length === 0 || !parsed) return key;
  return parsed.term === 'monthly' ? owners.join(' + ') : `${owners.join(' + ')} (${parsed.term})`;
}

function plannedLine(line: BillingLine): PlannedLine {
  return {
    key: line.key,
    sku: line.sku,
    skus: line.skus,
    term: line.term,
    productId: line.productId,
    quantity: line.quantity,
    ...(line.unitPrice === undefined ? {} : { unitPrice: line.unitPrice }),
    priceRule: line.priceRule,
    ...(line.lessIncluded === undefined ? {} : { lessIncluded: line.lessIncluded }),
  };
}

/** The partner's policy for the account's status; an active account is always billed. */
function statusPolicy(status: PlatformAccountStatus, settings: ExportSettings): InactiveAccountPolicy {
  if (status === 'suspended') return settings.suspendedAccounts;
  if (status === 'cancelled') return settings.cancelledAccounts;
  return 'bill';
}

/** What the status policy did to a suspended or cancelled account, for the log and the run report. */
function statusWarning(status: 'suspended' | 'cancelled', policy: InactiveAccountPolicy, operations: readonly AccountOperation[]): PlanWarning {
  const retired = operations.flatMap((op) => (op.kind === 'retire' ? [op.additionId] : [])).sort((a, b) => a - b);
  const code = status === 'suspended' ? 'account-suspended' : 'account-cancelled';
  if (policy === 'bill') {
    return { code, additionIds: [], message: `The account is ${status} on the platform; billed as usual (policy "bill").` };
  }
  const what = policy === 'zero' ? 'set to quantity 0' : 'cancelled on the run date';
  const done = retired.length > 0 ? `${retired.length} addition(s) ${what} now` : `its additions were already ${policy === 'zero' ? 'at 0 or cancelled' : 'cancelled or at 0'}`;
  return { code, additionIds: retired, message: `The account is ${status} on the platform: not billed (policy "${policy}"): ${done}; nothing is created.` };
}

type Located =
  | { kind: 'owned'; addition: ActualAddition }
  | { kind: 'adopt'; addition: ActualAddition; replaces: { replacesAdditionId?: number } }
  | { kind: 'create' }
  | { kind: 'skip'; reason: SkipReason; message: string };

/** Which addition on the agreement is the desired line's, or why there is none to write. */
function locate(
  line: BillingLine,
  input: PlanAccountInput,
  additions: ReadonlyMap<number, ActualAddition>,
  ownership: Ownership,
  claimed: ReadonlySet<number>,
  warnings: PlanWarning[],
): Located {
  const { key, productId } = line;
  const ownedId = ownership.kept.get(key);
  const owned = ownedId === undefined ? undefined : additions.get(ownedId);
  if (owned) return { kind: 'owned', addition: owned };

  const mismatchedId = ownership.mismatched.get(key);
  if (mismatchedId !== undefined) {
    const holds = additions.get(mismatchedId)?.productId;
    return {
      kind: 'skip',
      reason: 'owned-addition-product-changed',
      message: `Addition ${mismatchedId} now holds product ${holds}, not ${productId}; left as it is.`,
    };
  }

  const found = refindByProduct(input.actual, productId, line.term, claimed);
  if (found.ambiguous.length > 1) {
    warnings.push({
      code: 'ambiguous-additions',
      sku: line.sku,
      additionIds: found.ambiguous,
      message: `Additions ${found.ambiguous.join(', ')} all hold this product; adopted ${found.ambiguous[0]}, left the others alone.`,
    });
  }
  const staleId = ownership.stale.get(key);
  if (found.addition) {
    return { kind: 'adopt', addition: found.addition, replaces: staleId === undefined ? {} : { replacesAdditionId: staleId } };
  }
  if (staleId !== undefined) {
    return {
      kind: 'skip',
      reason: 'owned-addition-missing',
      message: `Addition ${staleId} was removed from the agreement in ConnectWise; not re-created.`,
    };
  }
  if (found.heldByOthers.length > 0) {
    return {
      kind: 'skip',
      reason: 'product-held-by-another-sku',
      message: `Additions ${found.heldByOthers.join(', ')} hold this product but are ours for other lines; not duplicated.`,
    };
  }
  if (line.quantity <= 0) return { kind: 'skip', reason: 'zero-quantity', message: 'Desired quantity is 0: nothing to bill.' };
  return { kind: 'create' };
}

/**
 * A plan from its parts, with its write count and summary; the review and dating steps (./review) rebuild plans with it,
 * passing the plan's `lines` on.
 */
export function assemblePlan(
  operations: AccountOperation[],
  skipped: SkippedSku[],
  warnings: PlanWarning[],
  unchanged: string[],
  lines: PlannedLine[] = [],
): AccountPlan {
  const count = (kind: AccountOperation['kind']) => operations.filter((op) => op.kind === kind).length;
  const creates = count('create');
  const updates = count('update');
  const retires = count('retire');
  const writes = creates + updates + retires;
  return {
    operations,
    lines,
    skipped,
    warnings,
    unchanged,
    writes,
    summary: {
      status: writes > 0 ? 'changed' : 'unchanged',
      writes,
      creates,
      updates,
      retires,
      adopts: count('adopt'),
      unchanged: unchanged.length,
      skipped: skipped.length,
      warnings: warnings.length,
    },
  };
}

function retireOperation(sku: string, key: string, record: string, addition: ActualAddition, mode: 'zero' | 'cancel', runDateTime: string): AccountOperation {
  const change: FieldChange =
    mode === 'zero'
      ? { field: 'quantity', before: addition.quantity ?? null, after: 0 }
      : { field: 'cancelledDate', before: null, after: runDateTime };
  return { kind: 'retire', sku, key, record, additionId: addition.id, mode, changes: [change] };
}

function createOperation(line: BillingLine, settings: ExportSettings, runDateTime: string): AccountOperation {
  return {
    kind: 'create',
    sku: line.sku,
    key: line.key,
    record: line.record,
    productId: line.productId,
    quantity: line.quantity,
    ...(settings.cost ? { unitCost: normalizeMoney(line.unitCost) } : {}),
    ...(line.unitPrice !== undefined ? { unitPrice: line.unitPrice } : {}),
    ...(line.lessIncluded !== undefined ? { lessIncluded: line.lessIncluded } : {}),
    ...(line.term !== 'monthly' ? { invoiceDescription: `${line.skus.join(' + ')}${termSuffix(line.term)}` } : {}),
    billCustomer: 'Billable',
    effectiveDate: runDateTime,
  };
}

/**
 * The fields of an existing addition that differ from the desired line, in a fixed order. A retired addition
 * (cancelled, or at quantity 0) whose line is back with a quantity is reactivated: cancelledDate cleared and the
 * desired quantity written whatever the quantity setting. Cost follows its setting, the price its rule.
 */
function additionChanges(
  addition: ActualAddition,
  line: BillingLine,
  settings: ExportSettings,
): { changes: FieldChange[]; reactivates: boolean } {
  const changes: FieldChange[] = [];
  const cancelled = isCancelled(addition);
  if (cancelled && line.quantity <= 0) return { changes, reactivates: false };
  const reactivates = cancelled || (addition.quantity === 0 && line.quantity > 0);
  if (cancelled) changes.push({ field: 'cancelledDate', before: addition.cancelledDate ?? null, after: null });
  if ((settings.quantity || reactivates) && !quantityEquals(addition.quantity, line.quantity)) {
    changes.push({ field: 'quantity', before: addition.quantity ?? null, after: line.quantity });
  }
  if (settings.cost && !moneyEquals(addition.unitCost, line.unitCost)) {
    changes.push({ field: 'unitCost', before: addition.unitCost ?? null, after: normalizeMoney(line.unitCost) });
  }
  if (line.unitPrice !== undefined && !moneyEquals(addition.unitPrice, line.unitPrice)) {
    changes.push({ field: 'unitPrice', before: addition.unitPrice ?? null, after: line.unitPrice });
  }
  if (line.lessIncluded !== undefined && !quantityEquals(addition.lessIncluded ?? 0, line.lessIncluded)) {
    changes.push({ field: 'lessIncluded', before: addition.lessIncluded ?? null, after: line.lessIncluded });
  }
  return { changes, reactivates };
}

/** Retired by us or by hand: cancelled, or at quantity 0. Retiring it again would write nothing new. */
function isRetired(addition: ActualAddition): boolean {
  return isCancelled(addition) || addition.quantity === 0;
}

/** `YYYY-MM-DD` → ConnectWise date-time at midnight UTC (the format ConnectWise returns dates in). */
export function toConnectWiseDateTime(runDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(runDate);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return `${runDate}T00:00:00Z`;
    }
  }
  throw new DomainError(DomainErrorCode.InvalidRunDate, `Run date must be a calendar date YYYY-MM-DD, got "${runDate}".`);
}
