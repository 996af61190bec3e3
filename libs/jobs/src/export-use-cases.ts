/**
 * The export's two use-cases: the catalog phase of a run, and one account. The worker's handlers (RabbitMQ, or the
 * in-process bus in local mode) and the control plane's preview all call these, the preview in dry-run mode, so the
 * settings, billing control (product mappings, price rules, exclusions, terms, included quantities), review policy,
 * account status and run date an export uses are read in one place and cannot differ between them.
 *
 * Each use-case is prepared first, then run: preparing reads what decides whether there is work (and answers at once
 * when there is none); running does the work against ConnectWise. Between the two the worker defers the job while the
 * partner's budget is paused and takes the lock of what the job writes (`lockKey`); the preview runs it directly.
 */
import type { ConnectWiseClient } from '@cwx/connectwise';
import { NOTHING_WAITS_POLICY, type ReconciledAccount, runDateOf, skusWithOwnItem } from '@cwx/domain';
import {
  AccountExporter,
  type AccountRunInput,
  CatalogExporter,
  collectCatalogSkus,
  drizzleExportStores,
  markDeletedUsersCsvs,
  type AccountResult,
  type ExportErrorInfo,
} from '@cwx/export';
import { ResultErrorKind, type AccountCompleted, type CatalogCompleted, type ResultError } from '@cwx/messaging';
import { SILENT_LOGGER, type LogFields, type StructuredLogger } from '@cwx/observability';
import { type Database, isExported } from '@cwx/persistence';
import type { PlatformSource } from '@cwx/platform';
import { ExportContext, type PartnerContext, type RunRow, toExportSettings, withAccountBilling } from './job-context';
import { RunContextCache, type RunContextCacheOptions } from './run-context-cache';

/** The partner's ConnectWise client for one job or preview. */
export interface PartnerConnection {
  client: ConnectWiseClient;
  /** Why the partner's budget refused a call, when it did: a failure is judged by that refusal, not by what it caused. */
  lastRefusal?: () => unknown;
}

export interface ExportUseCaseDeps {
  db: Database;
  platform: PlatformSource;
  /** The partner's client: the worker's draws from the fleet's budget, the preview's as the panel's (ahead of exports). */
  connect(partnerId: string): Promise<PartnerConnection | undefined>;
  logger?: StructuredLogger;
  /** How the account use-case remembers a run's partner context (RunContextCache); defaults otherwise. */
  runContext?: RunContextCacheOptions;
}

/** A prepared use-case: its answer when there is nothing to do, or the work and what it must hold while it runs. */
export type PreparedExport<R> = { done: R } | { lockKey: string; connection: PartnerConnection; run(): Promise<R> };

export type CatalogOutcome = Omit<CatalogCompleted, 'runId' | 'partnerId' | 'attempts'>;
export type AccountOutcome = Omit<AccountCompleted, 'runId' | 'partnerId' | 'accountId' | 'accountName' | 'attempts'>;

/** Runs a prepared use-case with nothing held around it (the preview). */
export async function runPrepared<R>(prepared: PreparedExport<R>): Promise<R> {
  return 'done' in prepared ? prepared.done : prepared.run();
}

export interface ExportCatalogCommand {
  partnerId: string;
  /** The run's trigger: a run of approved changes leaves the catalog as the last run left it. */
  trigger?: RunRow['trigger'];
  /** Dry run (the preview): plans the catalog for these accounts' SKUs; nothing is written, in ConnectWise or here. */
  preview?: { accountIds: readonly string[] };
  logFields?: LogFields;
}

const NO_CATALOG_WORK: CatalogOutcome = { status: 'succeeded', catalog: [], operations: [] };

/** The catalog phase: every SKU of the exported accounts that is billed on its own item exists in the ConnectWise catalog. */
export class ExportCatalog {
  private readonly context: ExportContext;
  private readonly log: StructuredLogger;

  constructor(private readonly deps: ExportUseCaseDeps) {
    this.context = new ExportContext(deps.db);
    this.log = deps.logger ?? SILENT_LOGGER;
  }

  async prepare(command: ExportCatalogCommand): Promise<PreparedExport<CatalogOutcome>> {
    const { partnerId } = command;
    if (command.trigger === 'review') return { done: NO_CATALOG_WORK };
    const settingsRow = await this.context.settings(partnerId);
    const settings = toExportSettings(settingsRow);
    if (!settings.products && !settings.usersList) return { done: NO_CATALOG_WORK };
    const connection = await this.deps.connect(partnerId);
    if (!connection) return { done: { ...NO_CATALOG_WORK, status: 'failed', error: noCredentials() } };
    const dryRun = command.preview !== undefined;
    const fields = { ...command.logFields, partnerId };

    const run = async (): Promise<CatalogOutcome> => {
      const stores = drizzleExportStores(this.deps.db);
      const exported = await this.context.exportedAccounts(partnerId);
      const warnings: { code: string; message: string }[] = [];
      if (settings.usersList && !dryRun) {
        // Users CSVs deleted by hand in ConnectWise: one batched read per 100, so each account job puts its CSV back.
        const agreementIds = exported.map((a) => a.agreementId);
        const check = await markDeletedUsersCsvs({ connectwise: connection.client, usersCsv: stores.usersCsv }, { partnerId, agreementIds });
        if (check.missing.length > 0) this.log.info({ ...fields, agreements: check.missing }, 'users CSVs deleted in ConnectWise; they will be attached again');
        if (check.error) {
          this.log.warn({ ...fields, kind: check.error.kind, code: check.error.code }, `users CSV check skipped: ${check.error.message}`);
          warnings.push({ code: 'users-csv-check-skipped', message: `Users CSVs deleted in ConnectWise could not be looked for: ${check.error.message}` });
        }
      }
      if (!settings.products) return { ...NO_CATALOG_WORK, warnings };
      const accountIds = command.preview?.accountIds ?? exported.map((a) => a.accountId);
      const billing = await this.context.billing(partnerId, settingsRow);
      // Only SKUs billed on their own item ("create it") need one; mapped, held and "do not bill" SKUs do not.
      const all = await collectCatalogSkus(this.deps.platform, partnerId, [...accountIds]);
      const own = skusWithOwnItem(billing, all.map((p) => p.sku));
      const result = await new CatalogExporter({ connectwise: connection.client, catalogItems: stores.catalogItems }).run({
        partnerId,
        settings,
        defaults: {
          subcategoryId: settingsRow?.catalogSubcategoryId,
          productTypeId: settingsRow?.productTypeId,
          unitOfMeasureId: settingsRow?.unitOfMeasureId,
        },
        skus: all.filter((p) => own.has(p.sku)),
        ...(dryRun ? { dryRun } : {}),
      });
      this.log.info({ ...fields, status: result.status, items: result.catalog.length, calls: result.connectwiseCalls, dryRun }, 'catalog phase done');
      return {
        status: result.status === 'failed' ? 'failed' : 'succeeded',
        catalog: result.catalog,
        operations: result.operations,
        warnings: [...warnings, ...result.conflicts.map((c) => ({ code: c.reason, sku: c.sku, message: c.message }))],
        ...(result.error ? { error: resultErrorOf(result.error) } : {}),
      };
    };
    return { lockKey: `catalog:${partnerId}`, connection, run };
  }
}

export interface ExportAccountCommand {
  partnerId: string;
  accountId: string;
  /** The run the account is exported in; absent in a preview, which is dated today in the partner's time zone. */
  run?: Pick<RunRow, 'id' | 'status' | 'reason' | 'trigger' | 'scheduledForDate' | 'createdAt'>;
  /** Dry run (the preview): plans against the catalog as the catalog phase would leave it; nothing is written. */
  preview?: { catalog: ReadonlyMap<string, number> };
}

/** An exported account's mapping row, as read for its job. */
type ExportedMapping = NonNullable<Awaited<ReturnType<ExportContext['mapping']>>> & { agreementId: number };

/** What a prepared account use-case also tells: the account's name, for its result. */
export type PreparedAccount = PreparedExport<AccountOutcome> & { accountName: string };

/** One account: the platform's desired state against the agreement's additions, planned, reviewed and applied. */
export class ExportAccount {
  private readonly context: ExportContext;
  /** The partner's context per run: read by the run's first job in this process, not by every job. */
  private readonly partnerContexts: RunContextCache<PartnerContext>;

  constructor(private readonly deps: ExportUseCaseDeps) {
    this.context = new ExportContext(deps.db);
    this.partnerContexts = new RunContextCache(deps.runContext);
  }

  async prepare(command: ExportAccountCommand): Promise<PreparedAccount> {
    const { partnerId, accountId } = command;
    const mapping = await this.context.mapping(partnerId, accountId);
    const accountName = mapping?.accountName ?? accountId;
    const { run: owner } = command;
    if (owner && owner.status !== 'running') {
      this.partnerContexts.endRun(partnerId, owner.id);
      const error = { kind: ResultErrorKind.RunStopped, message: `The run stopped before this account: ${owner.reason ?? owner.status}` };
      return { accountName, done: { status: 'skipped', operations: [], warnings: [], error } };
    }
    if (!isExported(mapping)) {
      return { accountName, done: { status: 'skipped', operations: [], warnings: [], error: { kind: ResultErrorKind.NotMapped, message: 'The account is no longer mapped for export.' } } };
    }
    const connection = await this.deps.connect(partnerId);
    if (!connection) return { accountName, done: { status: 'failed', operations: [], warnings: [], error: noCredentials() } };
    const { agreementId } = mapping;
    const dryRun = command.preview !== undefined;

    const run = async (): Promise<AccountOutcome> => {
      const { input, policy } = await this.read(command, mapping);
      const approvedOnly = command.run?.trigger === 'review';
      const review = policy || approvedOnly ? { policy: policy ?? NOTHING_WAITS_POLICY, approvedOnly } : undefined;
      const result = await this.exporter(connection).run({
        ...input,
        mappingChanged: () => this.mappingChange(partnerId, accountId, agreementId),
        ...(review ? { review } : {}),
        ...(dryRun ? { dryRun } : {}),
      });
      return accountOutcomeOf(result);
    };
    return { accountName, lockKey: `agreement:${partnerId}:${agreementId}`, connection, run };
  }

  /**
   * The reconciliation view of an exported account (the review panel's): the lines the next run would write, read as
   * that run reads them (settings, billing control, catalog, status, today's run date), against the agreement's
   * additions. Reads only; undefined when the account is not exported or no credentials are stored.
   */
  async reconciliation(command: { partnerId: string; accountId: string }): Promise<ReconciledAccount | undefined> {
    const mapping = await this.context.mapping(command.partnerId, command.accountId);
    if (!isExported(mapping)) return undefined;
    const connection = await this.deps.connect(command.partnerId);
    if (!connection) return undefined;
    return this.exporter(connection).reconciliation((await this.read(command, mapping)).input);
  }

  /**
   * What the account's run (or preview, or reconciliation) plans with, read from the store: the partner's context
   * (once per run in this process: the run's, never an earlier run's; afresh for a preview or a reconciliation),
   * and the account's own billing overrides (every time).
   */
  private async read(
    command: Pick<ExportAccountCommand, 'partnerId' | 'accountId' | 'run' | 'preview'>,
    mapping: ExportedMapping,
  ): Promise<{ input: AccountRunInput; policy: PartnerContext['reviewPolicy'] }> {
    const { partnerId, accountId, run } = command;
    const [partner, accountBilling] = await Promise.all([
      run && !command.preview ? this.partnerContexts.get(partnerId, run.id, () => this.context.partner(partnerId)) : this.context.partner(partnerId),
      this.context.accountBilling(partnerId, accountId),
    ]);
    const { settings: settingsRow, catalog: stored } = partner;
    const input: AccountRunInput = {
      runId: command.run?.id ?? 'preview',
      partnerId,
      accountId,
      accountName: mapping.accountName ?? accountId,
      agreementId: mapping.agreementId,
      settings: toExportSettings(settingsRow),
      catalog: command.preview ? new Map([...stored, ...command.preview.catalog]) : stored,
      runDate: runDateOf(command.run ?? { createdAt: new Date() }, settingsRow?.timeZone),
      accountStatus: mapping.platformStatus,
      billing: withAccountBilling(partner.billing, accountBilling),
    };
    return { input, policy: partner.reviewPolicy };
  }

  private exporter(connection: PartnerConnection): AccountExporter {
    const stores = drizzleExportStores(this.deps.db);
    return new AccountExporter({
      platform: this.deps.platform,
      connectwise: connection.client,
      ownership: stores.ownership,
      usersCsv: stores.usersCsv,
      review: stores.review,
    });
  }

  /** Why the account may no longer be written to `agreementId`, read afresh (the job holds that agreement's lock). */
  private async mappingChange(partnerId: string, accountId: string, agreementId: number): Promise<string | undefined> {
    const now = await this.context.mapping(partnerId, accountId);
    if (!now || now.state !== 'mapped' || now.agreementId === null) return 'The account was unmapped during the run';
    if (!now.exportEnabled) return "The account's export was turned off during the run";
    if (now.agreementId !== agreementId) return `The account was remapped from agreement #${agreementId} to #${now.agreementId} during the run`;
    return undefined;
  }
}

function noCredentials(): ResultError {
  return { kind: ResultErrorKind.Unauthorized, message: 'No ConnectWise credentials are stored.' };
}

export function resultErrorOf(info: ExportErrorInfo): ResultError {
  return {
    kind: info.kind,
    message: info.message,
    ...(info.code !== undefined ? { code: info.code } : {}),
    ...(info.status !== undefined ? { status: info.status } : {}),
  };
}

function accountOutcomeOf(result: AccountResult): AccountOutcome {
  return {
    status: result.status,
    operations: result.operations,
    warnings: result.warnings,
    ...(result.error ? { error: resultErrorOf(result.error) } : {}),
    connectwiseCalls: result.connectwiseCalls,
  };
}
