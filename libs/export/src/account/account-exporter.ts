/**
 * Account job: the platform's desired state against the agreement's additions, planned by `planAccount`
 * and applied (or, with `dryRun`, only returned). Idempotent: a redelivered job re-reads everything and
 * finds its earlier writes done. Details and choices: libs/export/README.md.
 */
import type { ConnectWiseClient } from '@cwx/connectwise';
import {
  type AccountPlan,
  type ActualAddition,
  type BillingControl,
  billableUsers,
  type ExportSettings,
  type OwnershipRecord,
  type PlanAccountInput,
  type PlatformAccountStatus,
  planAccount,
  reconcileAccount,
  type ReconciledAccount,
  toConnectWiseDateTime,
  type ReviewPolicy,
  type WrittenLine,
  writtenLineOf,
} from '@cwx/domain';
import { ResultErrorKind, type ResultWarning } from '@cwx/messaging';
import { PlatformNotFoundError, type PlatformSource, type PlatformUser } from '@cwx/platform';
import { MappingChangedError, settleFailure } from '../errors';
import { callCounter, guardStore } from '../shared/guards';
import type { OwnershipStore, ReviewStore, UsersCsvStore } from '../stores/stores';
import type { AccountResult, AppliedOperation } from '../types';
import { createBody, describeOperation, patchOperations, toActualAdditions } from './additions';
import { readPlatformLines } from './platform-lines';
import { reviewAccountPlan } from './review';
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
  /**
   * Asked before every write (ConnectWise or ownership): why this account may no longer be written to
   * `agreementId` (remapped, unmapped, export turned off since the job started), or undefined. A reason
   * stops the job there: the account is reported skipped with it, with the writes made until then.
   */
  mappingChanged?: () => Promise<string | undefined>;
  /** The platform account's status (as of the latest accounts sync); `active` when absent. Billed by the settings' policy. */
  accountStatus?: PlatformAccountStatus;
  /**
   * The partner's review policy (absent: no review, every planned write goes, as before review existed), and
   * whether this is a run of approved changes only. Needs the `review` store.
   */
  review?: { policy: ReviewPolicy; approvedOnly?: boolean };
  /** The partner's product mapping, bundles and price rules with this account's overrides (issue 18); none when absent. */
  billing?: BillingControl;
}

export interface AccountExporterDeps {
  platform: PlatformSource;
  connectwise: ConnectWiseClient;
  ownership: OwnershipStore;
  usersCsv: UsersCsvStore;
  review?: ReviewStore;
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
      } else if (error instanceof MappingChangedError) {
        result.status = 'skipped';
        const done = result.operations.length;
        result.error = {
          kind: ResultErrorKind.MappingChanged,
          message: `${error.message}; stopped before writing to agreement #${input.agreementId}${done > 0 ? ` (${done} operation(s) applied before the change)` : ' (nothing was written)'}. The next run exports the account as it is mapped now.`,
        };
      } else {
        result.error = settleFailure(error, result);
        result.status = 'failed';
      }
    }
    result.connectwiseCalls = calls();
    return result;
  }

  /**
   * The reconciliation view of the account: the plan's lines (what a run now would write) against the agreement's
   * additions, read as the run reads them (one additions list); nothing is written.
   */
  async reconciliation(input: AccountRunInput): Promise<ReconciledAccount> {
    return reconcileAccount((await this.read(input)).planInput);
  }

  /** What the plan reads: the platform's lines (and users), the agreement's additions, our ownership records. */
  private async read(input: AccountRunInput): Promise<{ planInput: PlanAccountInput; users?: PlatformUser[] }> {
    const { partnerId, accountId, agreementId, settings, billing } = input;
    const { desired, users } = await readPlatformLines(this.deps.platform, { partnerId, accountId, settings, billing });
    const actual = toActualAdditions(await this.deps.connectwise.additions.list(agreementId));
    const ownership: OwnershipRecord[] = (await guardStore('list ownership', () => this.deps.ownership.list(partnerId, agreementId))).map(
      ({ key, additionId }) => ({ key, additionId }),
    );
    const planInput: PlanAccountInput = { desired, catalog: input.catalog, actual, ownership, settings, runDate: input.runDate, accountStatus: input.accountStatus, billing, users };
    return { planInput, ...(users ? { users } : {}) };
  }

  /** Reads, plans, applies; returns the number of ConnectWise writes made (planned, in a preview). */
  private async reconcile(input: AccountRunInput, dryRun: boolean, result: AccountResult): Promise<number> {
    const { partnerId, agreementId, settings } = input;
    toConnectWiseDateTime(input.runDate); // a bad date fails the job before any call
    const { billing } = input;
    const { planInput, users } = await this.read(input);
    const { actual, ownership } = planInput;
    const planned = planAccount(planInput);
    result.warnings.push(...warningsOf(planned));
    const review = input.review && this.deps.review ? { ...input.review, store: this.deps.review } : undefined;
    const reviewed = review ? await reviewAccountPlan(this.deps.connectwise, { input, plan: planned, actual, ownership, review, dryRun, result }) : undefined;
    const plan = reviewed?.plan ?? planned;
    // The rule behind each line's price, for the log (from the plan's lines, before review held any write).
    const priceRules = new Map(planned.lines.map((line) => [line.key, line.priceRule]));
    result.plannedWrites = plan.writes;

    const written: WrittenLine[] = [];
    let writes = dryRun ? plan.writes : await this.apply(input, plan, result.operations, written, priceRules);
    if (reviewed && !dryRun) await reviewed.settle(written);
    if (dryRun) result.operations.push(...plan.operations.map((op) => describeOperation(op, priceRules.get(op.key))));

    if (users && settings.usersList) {
      if (!dryRun) await stillMapped(input);
      const listed = billing ? billableUsers(users, billing) : { users, left: [] };
      if (listed.left.length > 0) {
        result.warnings.push({
          code: 'users-excluded',
          message: `Left out of the users CSV: ${listed.left.map((u) => `${u.id} (${u.reason})`).join(', ')}.`,
        });
      }
      const csv = await syncUsersCsv(this.deps, { partnerId, agreementId, accountName: input.accountName, users: listed.users, dryRun });
      if (csv.operation) result.operations.push(csv.operation);
      if (csv.warnings) result.warnings.push(...csv.warnings);
      result.plannedWrites += csv.writes;
      writes += csv.writes;
    }
    return writes;
  }

  /**
   * Applies the plan in order, one ConnectWise call per create, update and retire; ownership is recorded
   * right after each create (a crash in between is healed by the next run's re-find by product). Each
   * operation is appended to `applied` once done, so a failure leaves the list of what was done.
   */
  private async apply(
    input: AccountRunInput,
    plan: AccountPlan,
    applied: AppliedOperation[],
    written: WrittenLine[],
    priceRules: ReadonlyMap<string, string>,
  ): Promise<number> {
    const { connectwise, ownership } = this.deps;
    const { partnerId, accountId, agreementId } = input;
    const own = (key: string, additionId: number) =>
      guardStore('save ownership', () => ownership.save(partnerId, { agreementId, accountId, key, additionId }));
    let writes = 0;
    const retired = new Map<string, number>();
    for (const op of plan.operations) {
      if (op.kind === 'retire') retired.set(op.key, op.additionId);
      // Before every write, not only the first: one primary-key read (well under a millisecond) against a
      // ConnectWise call of tens to hundreds, so a remap stops the job within one write.
      await stillMapped(input);
      const entry = describeOperation(op, priceRules.get(op.key));
      switch (op.kind) {
        case 'adopt':
          await own(op.record, op.additionId);
          break;
        case 'create': {
          // A line that ends and starts again (end-and-start) has its old addition, just cancelled, on the agreement: never re-found as the new one.
          const ended = retired.get(op.key);
          const created = await connectwise.additions.create(agreementId, createBody(op), {
            refind: () => connectwise.additions.findByProduct(agreementId, op.productId, ended === undefined ? undefined : `id != ${ended}`),
          });
          if (created.id === undefined) throw new Error('ConnectWise returned an addition without an id');
          entry.id = created.id;
          writes += 1;
          applied.push(entry);
          recordWritten(written, created);
          await own(op.record, created.id);
          continue;
        }
        case 'update':
        case 'retire':
          recordWritten(written, await connectwise.additions.patch(agreementId, op.additionId, patchOperations(op.changes)));
          writes += 1;
          break;
      }
      applied.push(entry);
    }
    return writes;
  }
}

/** What an addition holds after our write, as ConnectWise answered it: the record edits made in ConnectWise are judged against. */
function recordWritten(written: WrittenLine[], returned: Parameters<typeof toActualAdditions>[0][number] | undefined): void {
  const [addition]: ActualAddition[] = returned ? toActualAdditions([returned]) : [];
  if (addition) written.push(writtenLineOf(addition));
}

async function stillMapped(input: AccountRunInput): Promise<void> {
  const check = input.mappingChanged;
  const reason = check ? await guardStore('check the mapping', check) : undefined;
  if (reason !== undefined) throw new MappingChangedError(reason);
}

/** The plan's warnings and the SKUs it skipped for a reason worth reading (a zero quantity with no line is not). */
function warningsOf(plan: AccountPlan): ResultWarning[] {
  return [
    ...plan.warnings.map((w) => ({ code: w.code, ...(w.sku === undefined ? {} : { sku: w.sku }), message: w.message })),
    ...plan.skipped.filter((s) => s.reason !== 'zero-quantity').map((s) => ({ code: s.reason, sku: s.sku, message: s.message })),
  ];
}
