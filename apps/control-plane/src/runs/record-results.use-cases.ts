import { Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { summariseRun } from '@cwx/domain';
import { ResultErrorKind, type AccountCompleted, type CatalogCompleted } from '@cwx/messaging';
import { metrics, nestLogger } from '@cwx/observability';
import { catalogLog, exportedAccounts, exportLog, integrations, runs, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { NotificationTriggers } from '../notifications/notification-triggers';
import { RunWindow } from '../messaging/run-window';
import { OutboxSignal } from './outbox-signal';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

const TERMINAL = ['succeeded', 'partially_failed', 'failed', 'nothing_to_export'] as const;

/**
 * The result consumer's use-cases: the control plane alone writes runs and the export log. Each is
 * idempotent, so a redelivered result changes nothing: the log has one row per (run, account), and
 * a run's counts move only when that row is first written.
 */
@Injectable()
export class RecordRunResults {
  private readonly logger = nestLogger('RecordRunResults');

  constructor(
    @InjectDatabase() private readonly db: Database,
    private readonly notify: NotificationTriggers,
    private readonly signal: OutboxSignal,
    private readonly window: RunWindow,
  ) {}

  /** The catalog phase is done: fan out one job per exported account, or close the run. */
  async catalogCompleted(result: CatalogCompleted, correlationId?: string): Promise<void> {
    const closed: ClosedRun[] = [];
    await this.db.transaction(async (tx) => {
      const [run] = await tx
        .select()
        .from(runs)
        .where(and(eq(runs.id, result.runId), eq(runs.partnerId, result.partnerId)))
        .for('update');
      if (!run || run.status !== 'queued') return; // already fanned out, or closed
      const now = new Date();
      await tx
        .insert(catalogLog)
        .values({
          runId: run.id,
          partnerId: run.partnerId,
          status: result.status,
          operations: result.operations,
          warnings: result.warnings ?? [],
          error: result.error ?? null,
          attempts: result.attempts,
        })
        .onConflictDoNothing();
      if (result.status === 'failed') {
        const rejected = result.error?.kind === ResultErrorKind.Unauthorized;
        const reason = rejected
          ? `ConnectWise rejected the credentials: ${result.error?.message ?? ''}`
          : `Catalog phase failed: ${result.error?.message ?? 'unknown error'}`;
        await tx.update(runs).set({ status: 'failed', reason, startedAt: now, finishedAt: now }).where(eq(runs.id, run.id));
        closed.push({ ...run, status: 'failed', credentialsRejected: rejected });
        if (rejected) await this.needsAttention(tx, run.partnerId, result.error?.message ?? '');
        await this.notify.runFinished(tx, run.id, rejected ? { credentialsRejected: result.error?.message ?? '' } : {});
        return;
      }
      // A run of approved changes goes to the accounts that have some, and only those.
      const accounts = await exportedAccounts(tx, run.partnerId, { approvedChangesOnly: run.trigger === 'review' });
      if (accounts.length === 0) {
        await tx
          .update(runs)
          .set({ status: 'nothing_to_export', reason: 'No account is mapped with Export on.', startedAt: now, finishedAt: now })
          .where(eq(runs.id, run.id));
        closed.push({ ...run, status: 'nothing_to_export' });
        await this.notify.runFinished(tx, run.id);
        return;
      }
      await tx.update(runs).set({ status: 'running', totalAccounts: accounts.length, startedAt: now }).where(eq(runs.id, run.id));
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
    await this.db.transaction(async (tx) => {
      logged = false;
      closed.length = 0;
      // Lock the run first: the log row's foreign key would otherwise take a share lock on it, and two
      // results upgrading their share locks to update the counts deadlock each other.
      const [run] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.id, result.runId)).for('update');
      if (!run) return;
      const inserted = await tx
        .insert(exportLog)
        .values({
          runId: result.runId,
          partnerId: result.partnerId,
          accountId: result.accountId,
          accountName: result.accountName,
          status: result.status,
          operations: result.operations,
          warnings: result.warnings,
          error: result.error ?? null,
          attempts: result.attempts,
        })
        .onConflictDoNothing()
        .returning({ accountId: exportLog.accountId });
      if (inserted.length === 0) return; // a redelivered result
      logged = true;
      await this.window.releaseNext(tx, result.runId, 1);
      await tx
        .update(runs)
        .set({
          doneAccounts: sql`${runs.doneAccounts} + 1`,
          ...(result.status === 'changed' ? { changedAccounts: sql`${runs.changedAccounts} + 1` } : {}),
          ...(result.status === 'unchanged' ? { unchangedAccounts: sql`${runs.unchangedAccounts} + 1` } : {}),
          ...(result.status === 'failed' ? { failedAccounts: sql`${runs.failedAccounts} + 1` } : {}),
        })
        .where(eq(runs.id, result.runId));
      if (result.error?.kind === ResultErrorKind.Unauthorized) await this.stopForCredentials(tx, result.runId, result.partnerId, result.error.message, closed);
      await this.closeIfComplete(tx, result.runId, closed);
    });
    if (logged) metrics.runAccounts.inc({ status: result.status });
    recordClosed(closed);
    this.signal.notify();
  }

  private async closeIfComplete(tx: Tx, runId: string, closed: ClosedRun[]): Promise<void> {
    const [run] = await tx.select().from(runs).where(eq(runs.id, runId)).for('update');
    if (!run || (TERMINAL as readonly string[]).includes(run.status) || run.doneAccounts < run.totalAccounts) return;
    const results = await tx.select({ status: exportLog.status }).from(exportLog).where(eq(exportLog.runId, runId));
    const summary = summariseRun(results, run.totalAccounts);
    await tx.update(runs).set({ status: summary.status, finishedAt: new Date() }).where(eq(runs.id, runId));
    closed.push({ ...run, status: summary.status });
    await this.notify.runFinished(tx, runId);
    this.logger.info({ runId, ...summary }, 'run closed');
  }

  /** ConnectWise rejected the credentials: the run stops with that reason; the integration needs attention. */
  private async stopForCredentials(tx: Tx, runId: string, partnerId: string, message: string, closed: ClosedRun[]): Promise<void> {
    // The jobs still held are released so that each account gets its log row ("skipped: the run stopped").
    await this.window.releaseNext(tx, runId, 'all');
    const stopped = await tx
      .update(runs)
      .set({ status: 'failed', reason: `ConnectWise rejected the credentials: ${message}`, finishedAt: new Date() })
      .where(and(eq(runs.id, runId), sql`${runs.status} in ('queued', 'running')`))
      .returning({ id: runs.id, trigger: runs.trigger, createdAt: runs.createdAt });
    for (const run of stopped) closed.push({ ...run, status: 'failed', credentialsRejected: true });
    await this.needsAttention(tx, partnerId, `ConnectWise rejected the stored credentials: ${message}`);
    if (stopped.length > 0) await this.notify.runFinished(tx, runId, { credentialsRejected: message });
  }

  private async needsAttention(tx: Tx, partnerId: string, reason: string): Promise<void> {
    await tx
      .update(integrations)
      .set({ state: 'needs_attention', attentionReason: reason, updatedAt: new Date(), version: sql`${integrations.version} + 1` })
      .where(and(eq(integrations.partnerId, partnerId), eq(integrations.state, 'active')));
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
