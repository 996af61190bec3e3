import { setTimeout as sleep } from 'node:timers/promises';
import {
  AccountExporter,
  CatalogExporter,
  collectCatalogSkus,
  CredentialsRejectedError,
  drizzleExportStores,
  RetryableExportError,
  type AccountResult,
  type ExportErrorInfo,
} from '@cwx/export';
import {
  messageIdFor,
  QueueName,
  type AccountCompleted,
  type CatalogCompleted,
  type ConsumerHandle,
  type Delivery,
  type HandlerOutcome,
  type MessageBus,
} from '@cwx/messaging';
import type { Database } from '@cwx/persistence';
import type { PlatformSource } from '@cwx/platform';
import { isBudgetWaitTooLong } from '@cwx/throttle';
import { type JobContextLoader, runDateOf, toExportSettings } from './job-context';
import type { JobLock } from './job-lock';

export interface JobLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
  error(context: Record<string, unknown>, message: string): void;
}

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
  /** A retry asked to wait this long or less waits in the worker; longer waits go back to the broker. */
  maxInWorkerWaitMs?: number;
  logger?: JobLogger;
}

const SILENT: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The worker's two handlers, shared by `apps/export-worker` (RabbitMQ) and local mode (in-process bus).
 * Each is idempotent: a redelivered job re-reads ConnectWise and finds its writes done. The result is
 * published (and confirmed) before the job is acknowledged, so a crash in between repeats the job, and
 * the control plane ignores the second result.
 */
export class ExportJobHandlers {
  private readonly log: JobLogger;
  private readonly consumers: ConsumerHandle[] = [];

  constructor(private readonly options: ExportJobHandlersOptions) {
    this.log = options.logger ?? SILENT;
  }

  async start(prefetch: number): Promise<void> {
    const { bus } = this.options;
    await bus.ensureTopology();
    this.consumers.push(
      await bus.consume(QueueName.ExportCatalog, (d) => (d.type === 'catalog.requested' ? this.handleCatalog(d) : Promise.resolve('dead')), {
        prefetch: 1,
      }),
    );
    this.consumers.push(
      await bus.consume(QueueName.ExportAccount, (d) => (d.type === 'account.requested' ? this.handleAccount(d) : Promise.resolve('dead')), {
        prefetch,
      }),
    );
  }

  /** Stops taking jobs; in-flight ones finish (or go back to the queue) before this resolves. */
  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.close()));
  }

  async handleCatalog(delivery: Delivery<'catalog.requested'>): Promise<HandlerOutcome> {
    const { runId, partnerId } = delivery.payload;
    const { loader, platform } = this.options;
    const context = { runId, partnerId, messageId: delivery.messageId, correlationId: delivery.correlationId, attempt: delivery.deliveryCount };
    const run = await loader.run(runId, partnerId);
    if (!run || run.status !== 'queued') {
      this.log.info(context, 'catalog job for a run that is not waiting for it; acknowledged');
      return 'ack';
    }
    const report = (result: Omit<CatalogCompleted, 'runId' | 'partnerId' | 'attempts'>) =>
      this.publish(QueueName.ExportResults, messageIdFor.catalogResult(runId), 'catalog.completed', {
        runId,
        partnerId,
        attempts: delivery.deliveryCount,
        ...result,
      }, delivery.correlationId);

    const settingsRow = await loader.settings(partnerId);
    const settings = toExportSettings(settingsRow);
    if (!settings.products) {
      await report({ status: 'succeeded', catalog: [], operations: [] });
      return 'ack';
    }
    const connection = await loader.client(partnerId);
    if (!connection) {
      await report({ status: 'failed', catalog: [], operations: [], error: { kind: 'unauthorized', message: 'No ConnectWise credentials are stored.' } });
      return 'ack';
    }
    const lock = await this.options.lock.acquire(`catalog:${partnerId}`, this.options.lockWaitMs ?? 20_000);
    if (!lock) {
      this.log.warn(context, 'another copy of this catalog job is running; handing it back');
      return 'retry';
    }
    try {
      const accountIds = await loader.exportedAccountIds(partnerId);
      const skus = await collectCatalogSkus(platform, partnerId, accountIds);
      const stores = drizzleExportStores(this.options.db);
      const result = await new CatalogExporter({ connectwise: connection.client, catalogItems: stores.catalogItems }).run({
        partnerId,
        settings,
        defaults: {
          subcategoryId: settingsRow?.catalogSubcategoryId,
          productTypeId: settingsRow?.productTypeId,
          unitOfMeasureId: settingsRow?.unitOfMeasureId,
        },
        skus,
      });
      this.log.info({ ...context, status: result.status, items: result.catalog.length, calls: result.connectwiseCalls }, 'catalog phase done');
      await report({
        status: result.status === 'failed' ? 'failed' : 'succeeded',
        catalog: result.catalog,
        operations: result.operations,
        ...(result.error ? { error: errorOf(result.error) } : {}),
      });
      return 'ack';
    } catch (error) {
      return this.onFailure(error, delivery, context, async (info) => {
        await report({ status: 'failed', catalog: [], operations: [], error: errorOf(info) });
      });
    } finally {
      await lock.release();
    }
  }

  async handleAccount(delivery: Delivery<'account.requested'>): Promise<HandlerOutcome> {
    const { runId, partnerId, accountId } = delivery.payload;
    const { loader, platform, db } = this.options;
    const context = { runId, partnerId, accountId, messageId: delivery.messageId, correlationId: delivery.correlationId, attempt: delivery.deliveryCount };
    const mapping = await loader.mapping(partnerId, accountId);
    const accountName = mapping?.accountName ?? accountId;
    const report = (result: Omit<AccountCompleted, 'runId' | 'partnerId' | 'accountId' | 'accountName' | 'attempts'>) =>
      this.publish(QueueName.ExportResults, messageIdFor.accountResult(runId, accountId), 'account.completed', {
        runId,
        partnerId,
        accountId,
        accountName,
        attempts: delivery.deliveryCount,
        ...result,
      }, delivery.correlationId);

    const run = await loader.run(runId, partnerId);
    if (!run) return 'ack';
    if (run.status !== 'running') {
      await report({
        status: 'skipped',
        operations: [],
        warnings: [],
        error: { kind: 'run-stopped', message: `The run stopped before this account: ${run.reason ?? run.status}` },
      });
      return 'ack';
    }
    if (!mapping || mapping.state !== 'mapped' || !mapping.exportEnabled || mapping.agreementId === null) {
      await report({ status: 'skipped', operations: [], warnings: [], error: { kind: 'not-mapped', message: 'The account is no longer mapped for export.' } });
      return 'ack';
    }
    const connection = await loader.client(partnerId);
    if (!connection) {
      await report({ status: 'failed', operations: [], warnings: [], error: { kind: 'unauthorized', message: 'No ConnectWise credentials are stored.' } });
      return 'ack';
    }
    const settingsRow = await loader.settings(partnerId);
    const stores = drizzleExportStores(db);
    const lock = await this.options.lock.acquire(`agreement:${partnerId}:${mapping.agreementId}`, this.options.lockWaitMs ?? 20_000);
    if (!lock) {
      this.log.warn(context, 'another job is working on this agreement; handing this one back');
      return 'retry';
    }
    try {
      const result = await new AccountExporter({
        platform,
        connectwise: connection.client,
        ownership: stores.ownership,
        usersCsv: stores.usersCsv,
      }).run({
        runId,
        partnerId,
        accountId,
        accountName,
        agreementId: mapping.agreementId,
        settings: toExportSettings(settingsRow),
        catalog: await loader.catalog(partnerId),
        runDate: runDateOf(run, settingsRow),
      });
      await report(fromAccountResult(result));
      this.log.info({ ...context, status: result.status, calls: result.connectwiseCalls }, 'account exported');
      return 'ack';
    } catch (error) {
      const refusal = connection.hooks.lastRefusal();
      return this.onFailure(refusal ?? error, delivery, context, async (info, partial) => {
        const done = partial as AccountResult | undefined;
        await report({
          status: 'failed',
          operations: done?.operations ?? [],
          warnings: done?.warnings ?? [],
          error: errorOf(info),
          connectwiseCalls: done?.connectwiseCalls,
        });
      });
    } finally {
      await lock.release();
    }
  }

  /**
   * Credentials rejected: report it (the control plane stops the run). Retryable: wait a little in the
   * worker or hand the job back; on the last allowed delivery, report the failure instead. Unknown
   * errors (bugs) are retried and end in the dead-letter queue.
   */
  private async onFailure(
    error: unknown,
    delivery: Delivery,
    context: Record<string, unknown>,
    reportFailure: (info: ExportErrorInfo, partial?: unknown) => Promise<void>,
  ): Promise<HandlerOutcome> {
    if (error instanceof CredentialsRejectedError) {
      this.log.warn({ ...context, code: error.reason.code }, 'ConnectWise rejected the credentials');
      await reportFailure({ ...error.reason, kind: 'unauthorized' }, error.partial);
      return 'ack';
    }
    const lastDelivery = delivery.deliveryCount > this.options.deliveryLimit;
    if (error instanceof RetryableExportError || isBudgetWaitTooLong(error)) {
      const info: ExportErrorInfo =
        error instanceof RetryableExportError ? error.reason : { kind: 'throttled', message: 'The partner\'s ConnectWise request budget is exhausted.' };
      if (lastDelivery) {
        this.log.warn({ ...context, kind: info.kind }, 'giving up after the last delivery');
        await reportFailure(info, error instanceof RetryableExportError ? error.partial : undefined);
        return 'ack';
      }
      const waitMs = error instanceof RetryableExportError ? error.retryAfterMs : error.retryAfterMs;
      if (waitMs !== undefined && waitMs <= (this.options.maxInWorkerWaitMs ?? 10_000)) await sleep(waitMs);
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

function errorOf(info: ExportErrorInfo): { kind: string; code?: string; message: string; status?: number } {
  return {
    kind: info.kind,
    message: info.message,
    ...(info.code !== undefined ? { code: info.code } : {}),
    ...(info.status !== undefined ? { status: info.status } : {}),
  };
}

function fromAccountResult(result: AccountResult): Omit<AccountCompleted, 'runId' | 'partnerId' | 'accountId' | 'accountName' | 'attempts'> {
  return {
    status: result.status,
    operations: result.operations,
    warnings: result.warnings,
    ...(result.error ? { error: errorOf(result.error) } : {}),
    connectwiseCalls: result.connectwiseCalls,
  };
}
