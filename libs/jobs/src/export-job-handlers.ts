import { CredentialsRejectedError, RetryableExportError, type AccountResult, type ExportErrorInfo } from '@cwx/export';
import {
  messageIdFor,
  QueueName,
  ResultErrorKind,
  type AccountCompleted,
  type CatalogCompleted,
  type Deferral,
  type Delivery,
  type HandlerOutcome,
  type MessageBus,
} from '@cwx/messaging';
import { SILENT_LOGGER, type StructuredLogger } from '@cwx/observability';
import type { Database } from '@cwx/persistence';
import type { PlatformSource } from '@cwx/platform';
import { isBudgetWaitTooLong, type RequestBudget } from '@cwx/throttle';
import { type AccountOutcome, type CatalogOutcome, ExportAccount, ExportCatalog, type PreparedExport, resultErrorOf } from './export-use-cases';
import type { JobContextLoader } from './job-context';
import type { JobLock } from './job-lock';

export interface ExportJobHandlersOptions {
  db: Database;
  bus: MessageBus;
  platform: PlatformSource;
  loader: JobContextLoader;
  /** Keeps two copies of a job that touch the same agreement (or catalog) from running at once. */
  lock: JobLock;
  /** How long a job waits for that lock before it hands itself back; default 20 s. */
  lockWaitMs?: number;
  /** The bus's delivery limit: on the last delivery a retryable failure is reported instead of retried. */
  deliveryLimit: number;
  /** The partner's ConnectWise budget (the one the clients draw from): is it paused, and for how long. */
  budget: Pick<RequestBudget, 'pausedFor'>;
  /**
   * A job that finds the budget paused this long or less starts and waits in the worker (the budget's
   * acquire); a longer pause defers it to the broker until the pause ends. Default 10 s.
   */
  maxInWorkerWaitMs?: number;
  /** A job deferred longer than this in all (ConnectWise throttling without end) is handled as failing. Default 30 min. */
  maxBudgetWaitMs?: number;
  logger?: StructuredLogger;
}

const DEFAULT_MAX_IN_WORKER_WAIT_MS = 10_000;
const DEFAULT_MAX_BUDGET_WAIT_MS = 30 * 60_000;
/** A throttled job whose partner is no longer paused (the pause ran out meanwhile) comes back this soon. */
const MIN_BUDGET_DEFERRAL_MS = 1_000;

/**
 * The worker's two handlers, shared by `apps/export-worker` (RabbitMQ) and local mode (in-process bus)
 * through `ExportWorkerModule`. Each
 * turns a job into its use-case (ExportCatalog, ExportAccount: what is exported is decided there, as for the
 * preview) and does the job's part: defer while the budget is paused, lock, publish the result, ack or retry.
 * Each is idempotent: a redelivered job re-reads ConnectWise and finds its writes done. The result is
 * published (and confirmed) before the job is acknowledged, so a crash in between repeats the job, and
 * the control plane ignores the second result.
 */
export class ExportJobHandlers {
  private readonly log: StructuredLogger;
  private readonly catalog: ExportCatalog;
  private readonly account: ExportAccount;

  constructor(private readonly options: ExportJobHandlersOptions) {
    this.log = options.logger ?? SILENT_LOGGER;
    const { db, platform, loader } = options;
    const deps = {
      db,
      platform,
      logger: this.log,
      connect: async (partnerId: string) => {
        const connection = await loader.client(partnerId);
        return connection && { client: connection.client, lastRefusal: () => connection.hooks.lastRefusal() };
      },
    };
    this.catalog = new ExportCatalog(deps);
    this.account = new ExportAccount(deps);
  }

  async handleCatalog(delivery: Delivery<'catalog.requested'>): Promise<HandlerOutcome> {
    const { runId, partnerId } = delivery.payload;
    const context = { runId, partnerId, messageId: delivery.messageId, correlationId: delivery.correlationId, attempt: delivery.deliveryCount };
    const run = await this.options.loader.run(runId, partnerId);
    if (!run || run.status !== 'queued') {
      this.log.info(context, 'catalog job for a run that is not waiting for it; acknowledged');
      return 'ack';
    }
    const report = (result: CatalogOutcome) =>
      this.publish(QueueName.ExportResults, messageIdFor.catalogResult(runId), 'catalog.completed', {
        runId,
        partnerId,
        attempts: delivery.deliveryCount,
        ...result,
      }, delivery.correlationId);
    const prepared = await this.catalog.prepare({ partnerId, trigger: run.trigger, logFields: context });
    return this.perform(prepared, delivery, context, {
      busy: 'another copy of this catalog job is running; handing it back',
      report,
      reportFailure: (info) => report({ status: 'failed', catalog: [], operations: [], error: resultErrorOf(info) }),
    });
  }

  async handleAccount(delivery: Delivery<'account.requested'>): Promise<HandlerOutcome> {
    const { runId, partnerId, accountId } = delivery.payload;
    const context = { runId, partnerId, accountId, messageId: delivery.messageId, correlationId: delivery.correlationId, attempt: delivery.deliveryCount };
    const run = await this.options.loader.run(runId, partnerId);
    if (!run) return 'ack';
    const prepared = await this.account.prepare({ partnerId, accountId, run });
    const report = (result: AccountOutcome) =>
      this.publish(QueueName.ExportResults, messageIdFor.accountResult(runId, accountId), 'account.completed', {
        runId,
        partnerId,
        accountId,
        accountName: prepared.accountName,
        attempts: delivery.deliveryCount,
        ...result,
      }, delivery.correlationId);
    return this.perform(prepared, delivery, context, {
      busy: 'another job is working on this agreement; handing this one back',
      report: async (result) => {
        await report(result);
        if (!('done' in prepared)) this.log.info({ ...context, status: result.status, calls: result.connectwiseCalls }, 'account exported');
      },
      reportFailure: (info, partial) => {
        const done = partial as AccountResult | undefined;
        return report({
          status: 'failed',
          operations: done?.operations ?? [],
          warnings: done?.warnings ?? [],
          error: resultErrorOf(info),
          connectwiseCalls: done?.connectwiseCalls,
        });
      },
    });
  }

  /**
   * A prepared use-case as a job: its answer reported at once when there is no work; otherwise deferred while the
   * partner's budget is paused, run under the lock of what it writes, its result reported, its failure judged.
   */
  private async perform<R>(
    prepared: PreparedExport<R>,
    delivery: Delivery,
    context: Record<string, unknown>,
    how: { busy: string; report: (result: R) => Promise<void>; reportFailure: (info: ExportErrorInfo, partial?: unknown) => Promise<void> },
  ): Promise<HandlerOutcome> {
    if ('done' in prepared) {
      await how.report(prepared.done);
      return 'ack';
    }
    const paused = await this.deferWhilePaused(String(context.partnerId), delivery, context);
    if (paused) return paused;
    const lock = await this.options.lock.acquire(prepared.lockKey, this.options.lockWaitMs ?? 20_000);
    if (!lock) {
      this.log.warn(context, how.busy);
      return 'retry';
    }
    try {
      await how.report(await prepared.run());
      return 'ack';
    } catch (error) {
      return this.onFailure(prepared.connection.lastRefusal?.() ?? error, delivery, context, how.reportFailure);
    } finally {
      await lock.release();
    }
  }

  /**
   * The partner's ConnectWise budget is paused (a 429 told the fleet to hold off) for longer than a
   * worker waits: the job is deferred until the pause ends, which is not a failed attempt.
   */
  private async deferWhilePaused(partnerId: string, delivery: Delivery, context: Record<string, unknown>): Promise<Deferral | undefined> {
    const pausedMs = await this.options.budget.pausedFor(partnerId);
    if (pausedMs <= (this.options.maxInWorkerWaitMs ?? DEFAULT_MAX_IN_WORKER_WAIT_MS)) return undefined;
    return this.deferral(pausedMs, delivery, context);
  }

  /** A deferral for `waitMs`, or undefined once the job has been deferred too long in all. */
  private deferral(waitMs: number, delivery: Delivery, context: Record<string, unknown>): Deferral | undefined {
    const limit = this.options.maxBudgetWaitMs ?? DEFAULT_MAX_BUDGET_WAIT_MS;
    if (delivery.deferredMs + waitMs > limit) {
      this.log.warn({ ...context, deferredMs: delivery.deferredMs, waitMs }, 'ConnectWise budget paused past the longest deferral; handled as a failure');
      return undefined;
    }
    this.log.info({ ...context, waitMs, deferredMs: delivery.deferredMs }, "the partner's ConnectWise budget is paused; job deferred until it ends (not a failed attempt)");
    return { deferMs: waitMs };
  }

  /**
   * Credentials rejected: report it (the control plane stops the run). Waiting for the ConnectWise budget
   * (a refusal, or a 429 past the client's retries): deferred until the pause ends, never counted. Other
   * retryable failures: hand the job back; on the last allowed delivery, report the failure instead.
   * Unknown errors (bugs) are retried and end in the dead-letter queue.
   */
  private async onFailure(
    error: unknown,
    delivery: Delivery,
    context: Record<string, unknown>,
    reportFailure: (info: ExportErrorInfo, partial?: unknown) => Promise<void>,
  ): Promise<HandlerOutcome> {
    if (error instanceof CredentialsRejectedError) {
      this.log.warn({ ...context, code: error.reason.code }, 'ConnectWise rejected the credentials');
      await reportFailure({ ...error.reason, kind: ResultErrorKind.Unauthorized }, error.partial);
      return 'ack';
    }
    const throttled = isBudgetWaitTooLong(error) || (error instanceof RetryableExportError && error.reason.kind === ResultErrorKind.Throttled);
    if (throttled) {
      const pausedMs = await this.options.budget.pausedFor(String(context.partnerId));
      const deferral = this.deferral(Math.max(pausedMs, error.retryAfterMs ?? 0, MIN_BUDGET_DEFERRAL_MS), delivery, context);
      if (deferral) return deferral;
    }
    const lastDelivery = delivery.deliveryCount > this.options.deliveryLimit;
    if (error instanceof RetryableExportError || isBudgetWaitTooLong(error)) {
      const info: ExportErrorInfo =
        error instanceof RetryableExportError ? error.reason : { kind: ResultErrorKind.Throttled, message: 'The partner\'s ConnectWise request budget is exhausted.' };
      if (lastDelivery) {
        this.log.warn({ ...context, kind: info.kind }, 'giving up after the last delivery');
        await reportFailure(info, error instanceof RetryableExportError ? error.partial : undefined);
        return 'ack';
      }
      this.log.warn({ ...context, kind: info.kind }, 'retryable failure; handing the job back');
      return 'retry';
    }
    this.log.error({ ...context, err: error instanceof Error ? error.message : String(error) }, 'unexpected failure');
    return 'retry';
  }

  private async publish<T extends 'catalog.completed' | 'account.completed'>(
    queue: QueueName,
    messageId: string,
    type: T,
    payload: T extends 'catalog.completed' ? CatalogCompleted : AccountCompleted,
    correlationId?: string,
  ): Promise<void> {
    await this.options.bus.publish(queue, { messageId, type, payload, ...(correlationId ? { correlationId } : {}) });
  }
}
