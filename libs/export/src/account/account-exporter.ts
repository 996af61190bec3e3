/**
 * Account job: the platform's desired state against the agreement's additions, planned by `planAccount`
 * and applied (or, with `dryRun`, only returned). Idempotent: a redelivered job re-reads everything and
 * finds its earlier writes done. Details and choices: libs/export/README.md.
 */
import type { ConnectWiseClient } from '@cwx/connectwise';
import {
  type AccountPlan,
  type DesiredAddition,
  type ExportSettings,
  type OwnershipRecord,
  planAccount,
  toConnectWiseDateTime,
} from '@cwx/domain';
import { PlatformNotFoundError, type PlatformSource } from '@cwx/platform';
import { settleFailure } from '../errors';
import { callCounter, guardStore } from '../shared/guards';
import type { OwnershipStore, UsersCsvStore } from '../stores/stores';
import type { AccountResult, AppliedOperation, ExportWarning } from '../types';
import { createBody, describeOperation, patchOperations, toActualAdditions } from './additions';
import { syncUsersCsv } from './users-csv-document';

export interface AccountRunInput {
  runId: string;
  partnerId: string;
  accountId: string;
  accountName: string;
  agreementId: number;
  settings: ExportSettings;
  /** SKU → ConnectWise catalog item id, from the catalog phase. */
  catalog: ReadonlyMap<string, number>;
  /** The run's calendar date in the partner's time zone, `YYYY-MM-DD`. */
  runDate: string;
  /** Preview: plan and return the operations, write nothing (ConnectWise or store). */
  dryRun?: boolean;
}

export interface AccountExporterDeps {
  platform: PlatformSource;
  connectwise: ConnectWiseClient;
  ownership: OwnershipStore;
  usersCsv: UsersCsvStore;
}

export class AccountExporter {
  constructor(private readonly deps: AccountExporterDeps) {}

  /**
   * Returns the account's result: `changed`, `unchanged`, `skipped` (the account no longer exists on the
   * platform) or `failed` (a final error, e.g. ConnectWise refused a write: its code and message).
   * Throws `RetryableExportError` for failures worth a redelivery and `CredentialsRejectedError` on a 401,
   * both carrying the partial result.
   */
  async run(input: AccountRunInput): Promise<AccountResult> {
    const calls = callCounter(this.deps.connectwise);
    const dryRun = input.dryRun ?? false;
    const result: AccountResult = {
      runId: input.runId,
      partnerId: input.partnerId,
      accountId: input.accountId,
      accountName: input.accountName,
      status: 'unchanged',
      dryRun,
      operations: [],
      warnings: [],
      connectwiseCalls: 0,
      plannedWrites: 0,
    };
    try {
      const writes = await this.reconcile(input, dryRun, result);
      result.status = writes > 0 ? 'changed' : 'unchanged';
    } catch (error) {
      result.connectwiseCalls = calls();
      if (error instanceof PlatformNotFoundError && error.resource === 'account') {
        result.status = 'skipped';
        result.warnings.push({ code: 'account-not-on-platform', message: `${error.message}; nothing was written.` });
      } else {
        result.error = settleFailure(error, result);
        result.status = 'failed';
      }
    }
    result.connectwiseCalls = calls();
    return result;
  }

  /** Reads, plans, applies; returns the number of ConnectWise writes made (planned, in a preview). */
  private async reconcile(input: AccountRunInput, dryRun: boolean, result: AccountResult): Promise<number> {
    const { partnerId, accountId, agreementId, settings } = input;
    toConnectWiseDateTime(input.runDate); // a bad date fails the job before any call
    const [desired, users] = await Promise.all([this.desired(input), settings.usersList ? this.deps.platform.getUsers(partnerId, accountId) : undefined]);
    const actual = toActualAdditions(await this.deps.connectwise.additions.list(agreementId));
    const ownership: OwnershipRecord[] = (await guardStore('list ownership', () => this.deps.ownership.list(partnerId, agreementId))).map(
      ({ sku, additionId }) => ({ sku, additionId }),
    );
    const plan = planAccount({ desired, catalog: input.catalog, actual, ownership, settings, runDate: input.runDate });
    result.warnings.push(...warningsOf(plan));
    result.plannedWrites = plan.writes;

    let writes = dryRun ? plan.writes : await this.apply(input, plan, result.operations);
    if (dryRun) result.operations.push(...plan.operations.map(describeOperation));

    if (users) {
      const csv = await syncUsersCsv(this.deps, { partnerId, agreementId, accountName: input.accountName, users, dryRun });
      if (csv.operation) result.operations.push(csv.operation);
      result.plannedWrites += csv.writes;
      writes += csv.writes;
    }
    return writes;
  }

  private async desired(input: AccountRunInput): Promise<DesiredAddition[]> {
    const { partnerId, accountId, settings } = input;
    const [subscriptions, prices] = await Promise.all([
      this.deps.platform.getSubscriptions(partnerId, accountId),
      settings.retailPrice ? this.deps.platform.getRetailPrices(partnerId) : undefined,
    ]);
    const priceOf = new Map(prices?.prices.map((p) => [p.sku, p.price]));
    return subscriptions.map(({ sku, quantity, unitCost }) => {
      const line: DesiredAddition = { sku, quantity, unitCost };
      const price = priceOf.get(sku);
      if (price !== undefined) line.retailPrice = price;
      return line;
    });
  }

  /**
   * Applies the plan in order, one ConnectWise call per create, update and retire; ownership is recorded
   * right after each create (a crash in between is healed by the next run's re-find by product). Each
   * operation is appended to `applied` once done, so a failure leaves the list of what was done.
   */
  private async apply(input: AccountRunInput, plan: AccountPlan, applied: AppliedOperation[]): Promise<number> {
    const { connectwise, ownership } = this.deps;
    const { partnerId, accountId, agreementId } = input;
    const own = (sku: string, additionId: number) =>
      guardStore('save ownership', () => ownership.save(partnerId, { agreementId, accountId, sku, additionId }));
    let writes = 0;
    for (const op of plan.operations) {
      const entry = describeOperation(op);
      switch (op.kind) {
        case 'adopt':
          await own(op.sku, op.additionId);
          break;
        case 'create': {
          const created = await connectwise.additions.create(agreementId, createBody(op), {
            refind: () => connectwise.additions.findByProduct(agreementId, op.productId),
          });
          if (created.id === undefined) throw new Error('ConnectWise returned an addition without an id');
          entry.id = created.id;
          writes += 1;
          applied.push(entry);
          await own(op.sku, created.id);
          continue;
        }
        case 'update':
        case 'retire':
          await connectwise.additions.patch(agreementId, op.additionId, patchOperations(op.changes));
          writes += 1;
          break;
      }
      applied.push(entry);
    }
    return writes;
  }
}

/** The plan's warnings and the SKUs it skipped for a reason worth reading (a zero quantity with no line is not). */
function warningsOf(plan: AccountPlan): ExportWarning[] {
  return [
    ...plan.warnings.map((w) => ({ code: w.code, sku: w.sku, message: w.message })),
    ...plan.skipped.filter((s) => s.reason !== 'zero-quantity').map((s) => ({ code: s.reason, sku: s.sku, message: s.message })),
  ];
}
