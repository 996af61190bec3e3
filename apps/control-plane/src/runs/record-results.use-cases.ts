import { Injectable } from '@nestjs/common';
import { summariseRun } from '@cwx/domain';
import { ResultErrorKind, type AccountCompleted, type CatalogCompleted } from '@cwx/messaging';
import { metrics, nestLogger } from '@cwx/observability';
import type { Transaction } from '@cwx/persistence';
import { Transactions } from '../database/database.module';
import { AccountsRepository } from '../mapping/accounts.repository';
import { NotificationTriggers } from '../notifications/notification-triggers';
import { PartnersRepository } from '../partners/partners.repository';
import { RunWindow } from '../messaging/run-window';
import { OutboxSignal } from './outbox-signal';
import { RunsRepository, TERMINAL_RUN_STATUSES } from './runs.repository';

/**
 * The result consumer's use-cases: the control plane alone writes runs and the export log. Each is
 * idempotent, so a redelivered result changes nothing: the log has one row per (run, account), and
 * a run's counts move only when that row is first written.
 */
@Injectable()
export class RecordRunResults {
  private readonly logger = nestLogger('RecordRunResults');

  constructor(
    private readonly transactions: Transactions,
    private readonly runs: RunsRepository,
    private readonly accounts: AccountsRepository,
    private readonly partners: PartnersRepository,
    private readonly notify: NotificationTriggers,
    private readonly signal: OutboxSignal,
    private readonly window: RunWindow,
  ) {}

  /** The catalog phase is done: fan out one job per exported account, or close the run. */
  async catalogCompleted(result: CatalogCompleted, correlationId?: string): Promise<void> {
    const closed: ClosedRun[] = [];
    await this.transactions.run(async (tx) => {
      const run = await this.runs.lockForCatalogResult(tx, result.runId, result.partnerId);
      if (!run || run.status !== 'queued') return; // already fanned out, or closed
      const now = new Date();
      await this.runs.insertCatalogLog(tx, {
        runId: run.id,
        partnerId: run.partnerId,
        status: result.status,
        operations: result.operations,
        warnings: result.warnings ?? [],
        error: result.error ?? null,
        attempts: result.attempts,
      });
      if (result.status === 'failed') {
        const rejected = result.error?.kind === ResultErrorKind.Unauthorized;
        const reason = rejected
          ? `ConnectWise rejected the credentials: ${result.error?.message ?? ''}`
          : `Catalog phase failed: ${result.error?.message ?? 'unknown error'}`;
        await this.runs.set(tx, run.id, { status: 'failed', reason, startedAt: now, finishedAt: now });
        closed.push({ ...run, status: 'failed', credentialsRejected: rejected });
        if (rejected) await this.needsAttention(tx, run.partnerId, result.error?.message ?? '');
        await this.notify.runFinished(tx, run.id, rejected ? { credentialsRejected: result.error?.message ?? '' } : {});
        return;
      }
      // A run of approved changes goes to the accounts that have some, and only those.
      const accounts = await this.accounts.exported(run.partnerId, { approvedChangesOnly: run.trigger === 'review' }, tx);
      if (accounts.length === 0) {
        await this.runs.set(tx, run.id, { status: 'nothing_to_export', reason: 'No account is mapped with Export on.', startedAt: now, finishedAt: now });
        closed.push({ ...run, status: 'nothing_to_export' });
        await this.notify.runFinished(tx, run.id);
        return;
      }
      await this.runs.set(tx, run.id, { status: 'running', totalAccounts: accounts.length, startedAt: now });
      // Every job is written now; the run window releases them a few at a time, so one partner's run
      // never fills the queue ahead of the others'.
      await this.window.enqueueAccountJobs(tx, run, accounts.map((a) => a.accountId), correlationId);
      await this.notify.runStarted(tx, run.partnerId);
    });
    recordClosed(closed);
    this.signal.notify();
  }

  /** One account's result: written once into the log; the run's counts move; the run closes when complete. */
  async accountCompleted(result: AccountCompleted): Promise<void> {
    const closed: ClosedRun[] = [];
    let logged = false;
    await this.transactions.run(async (tx) => {
      logged = false;
      closed.length = 0;
      // Lock the run first: the log row's foreign key would otherwise take a share lock on it, and two
      // results upgrading their share locks to update the counts deadlock each other.
      if (!(await this.runs.lockForAccountResult(tx, result.runId))) return;
      const inserted = await this.runs.insertLog(tx, {
        runId: result.runId,
        partnerId: result.partnerId,
        accountId: result.accountId,
        accountName: result.accountName,
        status: result.status,
        operations: result.operations,
        warnings: result.warnings,
        error: result.error ?? null,
        attempts: result.attempts,
      });
      if (!inserted) return; // a redelivered result
      logged = true;
      await this.window.releaseNext(tx, result.runId, 1);
      await this.runs.countResult(tx, result.runId, result.status);
      if (result.error?.kind === ResultErrorKind.Unauthorized) await this.stopForCredentials(tx, result.runId, result.partnerId, result.error.message, closed);
      await this.closeIfComplete(tx, result.runId, closed);
    });
    if (logged) metrics.runAccounts.inc({ status: result.status });
    recordClosed(closed);
    this.signal.notify();
  }

  private async closeIfComplete(tx: Transaction, runId: string, closed: ClosedRun[]): Promise<void> {
    const run = await this.runs.lockToClose(tx, runId);
    if (!run || (TERMINAL_RUN_STATUSES as readonly string[]).includes(run.status) || run.doneAccounts < run.totalAccounts) return;
    const results = await this.runs.logStatuses(tx, runId);
    const summary = summariseRun(results, run.totalAccounts);
    await this.runs.set(tx, runId, { status: summary.status, finishedAt: new Date() });
    closed.push({ ...run, status: summary.status });
    await this.notify.runFinished(tx, runId);
    this.logger.info({ runId, ...summary }, 'run closed');
  }

  /** ConnectWise rejected the credentials: the run stops with that reason; the integration needs attention. */
  private async stopForCredentials(tx: Transaction, runId: string, partnerId: string, message: string, closed: ClosedRun[]): Promise<void> {
    // The jobs still held are released so that each account gets its log row ("skipped: the run stopped").
    await this.window.releaseNext(tx, runId, 'all');
    const stopped = await this.runs.failIfActive(tx, runId, `ConnectWise rejected the credentials: ${message}`);
    for (const run of stopped) closed.push({ ...run, status: 'failed', credentialsRejected: true });
    await this.needsAttention(tx, partnerId, `ConnectWise rejected the stored credentials: ${message}`);
    if (stopped.length > 0) await this.notify.runFinished(tx, runId, { credentialsRejected: message });
  }

  private needsAttention(tx: Transaction, partnerId: string, reason: string): Promise<void> {
    return this.partners.markNeedsAttention(tx, partnerId, reason);
  }
}

/** A run this transaction closed; its metrics are recorded once the transaction committed. */
interface ClosedRun {
  trigger: string;
  createdAt: Date;
  status: string;
  credentialsRejected?: boolean;
}

function recordClosed(closed: readonly ClosedRun[]): void {
  for (const run of closed) {
    metrics.runsFinished.inc({ trigger: run.trigger, status: run.status });
    metrics.runSeconds.observe({ trigger: run.trigger }, Math.max(0, Date.now() - run.createdAt.getTime()) / 1000);
    if (run.credentialsRejected) metrics.credentialsRejected.inc();
  }
}
