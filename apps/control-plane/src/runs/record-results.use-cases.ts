import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { summariseRun } from '@cwx/domain';
import { accountMappings, exportLog, integrations, outbox, runs, type Database } from '@cwx/persistence';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { InjectDatabase } from '../database/database.module';
import { NotificationTriggers } from '../notifications/notification-triggers';
import { accountRequested } from './outbox-messages';
import { OutboxSignal } from './outbox-signal';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Account jobs of one run published at once; the rest wait in the outbox (see catalogCompleted). At
 * ConnectWise's usual limit (about 1,000 calls a minute, `CW_BUDGET_PER_MINUTE` 900) a partner needs few
 * jobs in flight, and a small window keeps partners from queueing behind each other; a tenant with a higher
 * limit (an on-premises Manage) gets a window that grows with its budget, up to RUN_WINDOW_MAX.
 */
export const RUN_WINDOW = 8;
export const RUN_WINDOW_MAX = 64;
const BUDGET_PER_WINDOW_SLOT = 120;

export function runWindowFor(budgetPerMinute: number): number {
  return Math.min(RUN_WINDOW_MAX, Math.max(RUN_WINDOW, Math.ceil(budgetPerMinute / BUDGET_PER_WINDOW_SLOT)));
}

export interface CatalogCompleted {
  runId: string;
  partnerId: string;
  status: 'succeeded' | 'failed';
  error?: { kind: string; code?: string; message: string };
}

export interface AccountCompleted {
  runId: string;
  partnerId: string;
  accountId: string;
  accountName: string;
  status: 'changed' | 'unchanged' | 'failed' | 'skipped';
  operations: unknown[];
  warnings?: unknown[];
  error?: { kind: string; code?: string; message: string; status?: number };
  attempts: number;
}

const TERMINAL = ['succeeded', 'partially_failed', 'failed', 'nothing_to_export'] as const;

/**
 * The result consumer's use-cases: the control plane alone writes runs and the export log. Each is
 * idempotent, so a redelivered result changes nothing: the log has one row per (run, account), and
 * a run's counts move only when that row is first written.
 */
@Injectable()
export class RecordRunResults {
  private readonly logger = new Logger('RecordRunResults');

  private readonly window: number;

  constructor(
    @InjectDatabase() private readonly db: Database,
    private readonly notify: NotificationTriggers,
    private readonly signal: OutboxSignal,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
  ) {
    this.window = config.messaging.runWindow ?? runWindowFor(config.messaging.budgetPerMinute);
  }

  /** The catalog phase is done: fan out one job per exported account, or close the run. */
  async catalogCompleted(result: CatalogCompleted, correlationId?: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [run] = await tx
        .select()
        .from(runs)
        .where(and(eq(runs.id, result.runId), eq(runs.partnerId, result.partnerId)))
        .for('update');
      if (!run || run.status !== 'queued') return; // already fanned out, or closed
      const now = new Date();
      if (result.status === 'failed') {
        const rejected = result.error?.kind === 'unauthorized';
        const reason = rejected
          ? `ConnectWise rejected the credentials: ${result.error?.message ?? ''}`
          : `Catalog phase failed: ${result.error?.message ?? 'unknown error'}`;
        await tx.update(runs).set({ status: 'failed', reason, startedAt: now, finishedAt: now }).where(eq(runs.id, run.id));
        if (result.error?.kind === 'unauthorized') await this.needsAttention(tx, run.partnerId, result.error.message);
        await this.notify.runFinished(tx, run.id, rejected ? { credentialsRejected: result.error?.message ?? '' } : {});
        return;
      }
      const accounts = await tx
        .select({ accountId: accountMappings.accountId })
        .from(accountMappings)
        .where(and(eq(accountMappings.partnerId, run.partnerId), eq(accountMappings.state, 'mapped'), eq(accountMappings.exportEnabled, true)));
      if (accounts.length === 0) {
        await tx
          .update(runs)
          .set({ status: 'nothing_to_export', reason: 'No account is mapped with Export on.', startedAt: now, finishedAt: now })
          .where(eq(runs.id, run.id));
        await this.notify.runFinished(tx, run.id);
        return;
      }
      await tx.update(runs).set({ status: 'running', totalAccounts: accounts.length, startedAt: now }).where(eq(runs.id, run.id));
      // Every job is written now (durable); only the first `window` are published at once, the rest
      // are released one per result, so one partner's run never fills the queue ahead of the others'.
      const rows = accounts.map((a, index) => ({
        ...accountRequested(run.id, run.partnerId, a.accountId, correlationId),
        heldForRun: index < this.window ? null : run.id,
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await tx.insert(outbox).values(rows.slice(i, i + 500)).onConflictDoNothing();
      }
      await this.notify.runStarted(tx, run.partnerId);
    });
    this.signal.notify();
  }

  /** One account's result: written once into the log; the run's counts move; the run closes when complete. */
  async accountCompleted(result: AccountCompleted): Promise<void> {
    await this.db.transaction(async (tx) => {
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
          error: result.error ?? null,
          attempts: result.attempts,
        })
        .onConflictDoNothing()
        .returning({ accountId: exportLog.accountId });
      if (inserted.length === 0) return; // a redelivered result
      await this.releaseNext(tx, result.runId, 1);
      await tx
        .update(runs)
        .set({
          doneAccounts: sql`${runs.doneAccounts} + 1`,
          ...(result.status === 'changed' ? { changedAccounts: sql`${runs.changedAccounts} + 1` } : {}),
          ...(result.status === 'unchanged' ? { unchangedAccounts: sql`${runs.unchangedAccounts} + 1` } : {}),
          ...(result.status === 'failed' ? { failedAccounts: sql`${runs.failedAccounts} + 1` } : {}),
        })
        .where(eq(runs.id, result.runId));
      if (result.error?.kind === 'unauthorized') await this.stopForCredentials(tx, result.runId, result.partnerId, result.error.message);
      await this.closeIfComplete(tx, result.runId);
    });
    this.signal.notify();
  }

  /** Releases the next held jobs of a run to the outbox relay (all of them when the run stopped). */
  private async releaseNext(tx: Tx, runId: string, count: number | 'all'): Promise<void> {
    const held = tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.heldForRun, runId)).orderBy(asc(outbox.id));
    const ids = (count === 'all' ? await held : await held.limit(count)).map((r) => r.id);
    if (ids.length > 0) await tx.update(outbox).set({ heldForRun: null }).where(inArray(outbox.id, ids));
  }

  private async closeIfComplete(tx: Tx, runId: string): Promise<void> {
    const [run] = await tx.select().from(runs).where(eq(runs.id, runId)).for('update');
    if (!run || (TERMINAL as readonly string[]).includes(run.status) || run.doneAccounts < run.totalAccounts) return;
    const results = await tx.select({ status: exportLog.status }).from(exportLog).where(eq(exportLog.runId, runId));
    const summary = summariseRun(results, run.totalAccounts);
    await tx.update(runs).set({ status: summary.status, finishedAt: new Date() }).where(eq(runs.id, runId));
    await this.notify.runFinished(tx, runId);
    this.logger.log({ runId, ...summary }, 'run closed');
  }

  /** ConnectWise rejected the credentials: the run stops with that reason; the integration needs attention. */
  private async stopForCredentials(tx: Tx, runId: string, partnerId: string, message: string): Promise<void> {
    // The jobs still held are released so that each account gets its log row ("skipped: the run stopped").
    await this.releaseNext(tx, runId, 'all');
    const stopped = await tx
      .update(runs)
      .set({ status: 'failed', reason: `ConnectWise rejected the credentials: ${message}`, finishedAt: new Date() })
      .where(and(eq(runs.id, runId), sql`${runs.status} in ('queued', 'running')`))
      .returning({ id: runs.id });
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
