import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Transaction } from '@cwx/persistence';
import { AccountsRepository } from '../mapping/accounts.repository';
import { PartnersRepository } from '../partners/partners.repository';
import { ReviewChangesRepository } from '../review/review-changes.repository';
import { RunsRepository, type RunRow } from '../runs/runs.repository';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationsRepository } from './notifications.repository';
import { failureReason } from './report-content';

type Tx = Transaction;

export type NotificationEvent =
  | 'run.report'
  | 'run.failed'
  | 'credentials.rejected'
  | 'account.failing'
  | 'accounts.unmapped'
  | 'suggestions.pending'
  | 'review.pending';

/** Accounts named in one alert; the rest are counted. */
const LISTED_ACCOUNTS = 50;

interface Target {
  partnerId: string;
  events: ReadonlySet<string>;
  cadence: string;
  silentWhenUnchanged: boolean;
  failingRunsThreshold: number;
  channels: { channel: 'email' | 'webhook'; recipients: string[] }[];
}

/**
 * Writes notification rows inside the caller's transaction: the row exists if and only if the state
 * change that causes it committed. The unique key (partner, channel, event, subject) makes a second
 * write of the same notification (a redelivered result, a second replica) a no-op. Nothing is written
 * for a disabled integration, for an event the partner did not choose, or without a recipient.
 *
 * Each trigger takes the caller's transaction (a `Transaction`, not the database) and reads and writes through the
 * repositories in it: the rows must commit or roll back with the state change, and the caller's transaction is the
 * one that makes that change (recording a result, a sync, a digest period).
 */
@Injectable()
export class NotificationTriggers {
  constructor(
    private readonly runs: RunsRepository,
    private readonly accounts: AccountsRepository,
    private readonly reviewChanges: ReviewChangesRepository,
    private readonly partners: PartnersRepository,
    private readonly settings: NotificationSettingsRepository,
    private readonly notifications: NotificationsRepository,
  ) {}

  /** A run reached a final status: the report (cadence "every run"), and the alerts it warrants. */
  async runFinished(tx: Tx, runId: string, options: { credentialsRejected?: string } = {}): Promise<void> {
    const run = await this.runs.byId(tx, runId);
    if (!run) return;
    const target = await this.target(tx, run.partnerId);
    if (!target) return;
    const quiet = run.status === 'succeeded' && run.changedAccounts === 0 && run.failedAccounts === 0 && !(await this.runs.hasNews(tx, run));
    if (target.cadence === 'every_run' && !(quiet && target.silentWhenUnchanged)) {
      await this.enqueue(tx, target, 'run.report', `run:${run.id}`, { runId: run.id });
    }
    if (run.status === 'failed') await this.enqueue(tx, target, 'run.failed', `run:${run.id}`, { runId: run.id, reason: run.reason });
    if (options.credentialsRejected !== undefined) {
      await this.enqueue(tx, target, 'credentials.rejected', `run:${run.id}`, { runId: run.id, message: options.credentialsRejected });
    }
    if (target.events.has('account.failing')) await this.failingAccounts(tx, target, run);
    if (target.events.has('review.pending')) await this.reviewPending(tx, target);
  }

  /**
   * Changes waiting in the review queue after a run, with the monthly amount they add and remove (once per distinct
   * set: keyed by the digest of the pending ids, which the repository has the database compute).
   */
  private async reviewPending(tx: Tx, target: Target): Promise<void> {
    const pending = await this.reviewChanges.pendingSet(tx, target.partnerId);
    if (!pending) return;
    const { count, monthlyAdded, monthlyRemoved } = pending.totals;
    await this.enqueue(tx, target, 'review.pending', `review:${pending.digest}`, { count, monthlyAdded, monthlyRemoved });
  }

  /** The run fanned out: remind about accounts still not mapped (once per distinct set). */
  async runStarted(tx: Tx, partnerId: string): Promise<void> {
    await this.unmappedAccounts(tx, partnerId);
  }

  /** After an accounts sync that found new accounts: the accounts not yet mapped. */
  async accountsSynced(tx: Tx, partnerId: string, result: { added: number }): Promise<void> {
    if (result.added > 0) await this.unmappedAccounts(tx, partnerId);
  }

  /**
   * After a suggestion fill: suggestions waiting for the partner's confirmation, and accounts left ambiguous
   * (several companies share the name), counted (once per distinct set).
   */
  async suggestionsFilled(tx: Tx, partnerId: string): Promise<void> {
    const target = await this.target(tx, partnerId);
    if (!target?.events.has('suggestions.pending')) return;
    const rows = await this.accounts.suggestedForAlert(tx, partnerId);
    const ambiguous = await this.accounts.ambiguous(tx, partnerId);
    if (rows.length === 0 && ambiguous.length === 0) return;
    const key = `suggested:${digest([...rows.map((r) => `${r.accountId}:${r.companyId ?? ''}`), ...ambiguous.map((r) => `${r.accountId}:?`)])}`;
    await this.enqueue(tx, target, 'suggestions.pending', key, { count: rows.length, ambiguous: ambiguous.length, accounts: rows.slice(0, LISTED_ACCOUNTS) });
  }

  /**
   * A digest period ended (cadence daily or weekly): one report for the runs that finished in it, unless
   * the partner asked for silence and none changed or failed anything. Keyed by the period: once only.
   */
  async digestDue(tx: Tx, partnerId: string, period: { key: string; label: string; from: Date; to: Date }): Promise<boolean> {
    const target = await this.target(tx, partnerId);
    if (!target || target.cadence === 'every_run' || !target.events.has('run.report')) return false;
    const finished = await this.runs.finishedBetween(tx, partnerId, period.from, period.to);
    const quiet = finished.every((r) => r.status === 'succeeded' && r.changed === 0 && r.failed === 0);
    if (quiet && target.silentWhenUnchanged) return false;
    await this.enqueue(tx, target, 'run.report', `digest:${period.key}`, {
      period: { label: period.label, from: period.from.toISOString(), to: period.to.toISOString() },
    });
    return true;
  }

  private async unmappedAccounts(tx: Tx, partnerId: string): Promise<void> {
    const target = await this.target(tx, partnerId);
    if (!target?.events.has('accounts.unmapped')) return;
    const rows = await this.accounts.unmappedForAlert(tx, partnerId);
    if (rows.length === 0) return;
    const key = `unmapped:${digest(rows.map((r) => r.accountId))}`;
    await this.enqueue(tx, target, 'accounts.unmapped', key, { count: rows.length, accounts: rows.slice(0, LISTED_ACCOUNTS) });
  }

  /** Accounts whose failure in this run makes exactly `threshold` consecutive failed runs: one alert per streak. */
  private async failingAccounts(tx: Tx, target: Target, run: RunRow): Promise<void> {
    const failed = await this.runs.failedAccounts(tx, run);
    if (failed.length === 0) return;
    const n = target.failingRunsThreshold;
    const rows = await this.runs.recentResults(tx, run.partnerId, failed.map((f) => f.accountId), run.createdAt, n + 1);
    const byAccount = new Map<string, typeof rows>();
    for (const row of rows) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row]);
    const streaks: { accountId: string; accountName: string; reason: string }[] = [];
    for (const [accountId, history] of byAccount) {
      const sorted = history.sort((a, b) => Number(a.rn) - Number(b.rn));
      const recent = sorted.slice(0, n);
      const before = sorted[n];
      if (recent.length === n && recent.every((h) => h.status === 'failed') && (!before || before.status !== 'failed')) {
        streaks.push({ accountId, accountName: recent[0].accountName, reason: failureReason(recent[0].error) });
      }
    }
    if (streaks.length === 0) return;
    streaks.sort((a, b) => a.accountName.localeCompare(b.accountName));
    await this.enqueue(tx, target, 'account.failing', `run:${run.id}`, { runId: run.id, threshold: n, count: streaks.length, accounts: streaks.slice(0, LISTED_ACCOUNTS) });
  }

  private async target(tx: Tx, partnerId: string): Promise<Target | undefined> {
    const state = await this.partners.integrationState(tx, partnerId);
    if (!state || state === 'disabled') return undefined;
    const settings = await this.settings.find(partnerId, tx);
    if (!settings) return undefined;
    const channels: Target['channels'] = [];
    if (settings.emailRecipients.length > 0) channels.push({ channel: 'email', recipients: settings.emailRecipients });
    if (settings.webhookUrl && settings.webhookSecretCiphertext) channels.push({ channel: 'webhook', recipients: [settings.webhookUrl] });
    if (channels.length === 0) return undefined;
    return {
      partnerId,
      events: new Set(settings.events),
      cadence: settings.cadence,
      silentWhenUnchanged: settings.silentWhenUnchanged,
      failingRunsThreshold: settings.failingRunsThreshold,
      channels,
    };
  }

  private async enqueue(tx: Tx, target: Target, event: NotificationEvent, subjectKey: string, payload: Record<string, unknown>): Promise<void> {
    if (!target.events.has(event)) return;
    await this.notifications.insertMissing(
      tx,
      target.channels.map((c) => ({ partnerId: target.partnerId, channel: c.channel, event, subjectKey, recipients: c.recipients, payload })),
    );
  }
}

/** The key of a set: the first 32 hex digits of the SHA-256 of its members, sorted, one a line (review.pending's is computed in SQL alike). */
function digest(parts: string[]): string {
  return createHash('sha256').update([...parts].sort().join('\n')).digest('hex').slice(0, 32);
}
