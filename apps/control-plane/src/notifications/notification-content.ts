import { Inject, Injectable } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import type { ResultWarning } from '@cwx/messaging';
import type { PlatformSource } from '@cwx/platform';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { PartnersRepository } from '../partners/partners.repository';
import { InjectPlatform } from '../platform/platform.module';
import { ReviewChangesRepository } from '../review/review-changes.repository';
import { RunsRepository } from '../runs/runs.repository';
import type { NotificationRow } from './notifications.repository';
import { notificationsConfigOf } from './channels';
import {
  amountChanges,
  describeReview,
  failureReason,
  largestChanges,
  LISTED_FAILURES,
  LISTED_WARNINGS,
  renderAlert,
  renderDigest,
  renderRunReport,
  type AlertContent,
  type AmountChange,
  type DigestReport,
  type LoggedOperation,
  type RenderedEmail,
  type ReportWarning,
  type ReviewSummary,
  type RunReport,
} from './report-content';


export interface BuiltNotification {
  email: RenderedEmail & { attachments?: { filename: string; content: string; contentType: string }[] };
  /** The webhook's JSON body. */
  webhook: { id: number; event: string; partnerId: string; createdAt: string; data: unknown };
}

interface AccountRef {
  accountId: string;
  accountName: string;
}

/**
 * Builds what a notification says when it is sent, from the store as it is then: a report always
 * shows the run's complete log, however late the last result arrived. Every read is partner-scoped.
 */
@Injectable()
export class NotificationContent {
  private readonly baseUrl: string;

  constructor(
    private readonly runs: RunsRepository,
    private readonly partners: PartnersRepository,
    private readonly reviewChanges: ReviewChangesRepository,
    @InjectPlatform() private readonly platform: PlatformSource,
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
  ) {
    this.baseUrl = notificationsConfigOf(config).publicBaseUrl.replace(/\/+$/, '');
  }

  async build(row: NotificationRow): Promise<BuiltNotification> {
    const partnerName = (await this.partners.name(row.partnerId)) ?? row.partnerId;
    const payload = row.payload as Record<string, unknown>;
    const envelope = (data: unknown) => ({ id: row.id, event: row.event, partnerId: row.partnerId, createdAt: row.createdAt.toISOString(), data });

    if (row.event === 'run.report' && typeof payload.runId === 'string') {
      const report = await this.runReport(row.partnerId, partnerName, payload.runId);
      return { email: renderRunReport(report), webhook: envelope(report) };
    }
    if (row.event === 'run.report' && payload.period) {
      const digest = await this.digest(row.partnerId, partnerName, payload.period as DigestReport['period']);
      return { email: renderDigest(digest), webhook: envelope(digest) };
    }
    if (row.event === 'account.statement') {
      const p = payload as { subject: string; text: string; html: string; csv: string; filename: string };
      return {
        email: { subject: p.subject, text: p.text, html: p.html, attachments: [{ filename: p.filename, content: p.csv, contentType: 'text/csv; charset=utf-8' }] },
        webhook: envelope({ accountId: payload.accountId }),
      };
    }
    const alert = this.alert(row, partnerName, payload);
    return { email: renderAlert(alert), webhook: envelope({ ...payload, title: alert.title, lines: alert.lines, link: alert.link ?? null }) };
  }

  logUrl(partnerId: string, runId: string): string {
    return `${this.baseUrl}/partners/${encodeURIComponent(partnerId)}/runs/${runId}/log`;
  }

  private async runReport(partnerId: string, partnerName: string, runId: string): Promise<RunReport> {
    const run = await this.runs.find(partnerId, runId);
    if (!run) throw new Error(`run ${runId} not found`);
    const { failed, failedTotal, changed } = await this.runs.reportLog(partnerId, runId, LISTED_FAILURES);
    const warnings = await this.runWarnings(partnerId, runId);
    const review = await this.reviewSummary(partnerId);
    const prices = await this.retailPrices(partnerId);
    const moves: AmountChange[] = changed.flatMap((c) => amountChanges(c, (c.operations ?? []) as LoggedOperation[], prices));
    const skipped = Math.max(0, run.doneAccounts - run.changedAccounts - run.unchangedAccounts - run.failedAccounts);
    const log = this.logUrl(partnerId, run.id);
    return {
      partnerName,
      runId: run.id,
      trigger: run.trigger,
      status: run.status,
      reason: run.reason,
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      counts: {
        examined: run.changedAccounts + run.unchangedAccounts + run.failedAccounts,
        changed: run.changedAccounts,
        unchanged: run.unchangedAccounts,
        failed: run.failedAccounts,
        skipped,
        total: run.totalAccounts,
      },
      largestChanges: largestChanges(moves),
      failures: failed.map((f) => ({ accountId: f.accountId, accountName: f.accountName, reason: failureReason(f.error) })),
      moreFailures: Math.max(0, failedTotal - failed.length),
      ...warnings,
      review,
      logUrl: log,
      logCsvUrl: `${log}.csv`,
    };
  }

  /** What waits in the partner's review queue now (pending changes and their monthly amounts); null when nothing does. */
  private async reviewSummary(partnerId: string): Promise<ReviewSummary | null> {
    const totals = await this.reviewChanges.pendingTotals(partnerId);
    if (totals.count === 0) return null;
    return { pending: totals.count, monthlyAdded: totals.monthlyAdded, monthlyRemoved: totals.monthlyRemoved, queueUrl: this.queueUrl(partnerId) };
  }

  queueUrl(partnerId: string): string {
    return `${this.baseUrl}/partners/${encodeURIComponent(partnerId)}/review/changes`;
  }

  /** The catalog phase's summary and the run's warnings (the catalog's first, then by account name). */
  private async runWarnings(partnerId: string, runId: string): Promise<Pick<RunReport, 'catalog' | 'warnings' | 'moreWarnings'>> {
    const { catalogRow, accounts, total } = await this.runs.reportWarnings(partnerId, runId, LISTED_WARNINGS);
    const catalogWarnings = ((catalogRow?.warnings ?? []) as ResultWarning[]).map((w): ReportWarning => ({ accountId: null, accountName: null, ...w }));
    const accountWarnings = accounts.flatMap((a) => (a.warnings as ResultWarning[]).map((w): ReportWarning => ({ accountId: a.accountId, accountName: a.accountName, ...w })));
    const all = [...catalogWarnings, ...accountWarnings];
    const listed = all.slice(0, LISTED_WARNINGS);
    const operations = (catalogRow?.operations ?? []) as LoggedOperation[];
    return {
      catalog: catalogRow
        ? { status: catalogRow.status, created: operations.filter((o) => o.action === 'create').length, updated: operations.filter((o) => o.action === 'update').length }
        : null,
      warnings: listed,
      moreWarnings: catalogWarnings.length + Number(total) - listed.length,
    };
  }

  private async digest(partnerId: string, partnerName: string, period: DigestReport['period']): Promise<DigestReport> {
    const rows = await this.runs.digestRuns(partnerId, new Date(period.from), new Date(period.to));
    const ids = rows.map((r) => r.id);
    const { failed, failedTotal } = ids.length > 0 ? await this.runs.digestFailures(partnerId, ids, LISTED_FAILURES) : { failed: [], failedTotal: 0 };
    const items = rows.map((r) => ({
      runId: r.id,
      status: r.status,
      finishedAt: r.finishedAt?.toISOString() ?? null,
      examined: r.changedAccounts + r.unchangedAccounts + r.failedAccounts,
      changed: r.changedAccounts,
      unchanged: r.unchangedAccounts,
      failed: r.failedAccounts,
      logUrl: this.logUrl(partnerId, r.id),
    }));
    const sum = (k: 'examined' | 'changed' | 'unchanged' | 'failed') => items.reduce((n, r) => n + r[k], 0);
    return {
      partnerName,
      period,
      runs: items,
      totals: { runs: items.length, examined: sum('examined'), changed: sum('changed'), unchanged: sum('unchanged'), failed: sum('failed') },
      failures: failed.map((f) => ({ runId: f.runId, accountId: f.accountId, accountName: f.accountName, reason: failureReason(f.error) })),
      moreFailures: Math.max(0, failedTotal - failed.length),
    };
  }

  private alert(row: NotificationRow, partnerName: string, payload: Record<string, unknown>): AlertContent {
    const runId = typeof payload.runId === 'string' ? payload.runId : undefined;
    const link = runId ? this.logUrl(row.partnerId, runId) : undefined;
    const accounts = (payload.accounts ?? []) as (AccountRef & { reason?: string; companyName?: string | null; score?: number | null; tier?: string | null })[];
    const total = typeof payload.count === 'number' ? payload.count : accounts.length;
    const more = total > accounts.length ? [`… and ${total - accounts.length} more`] : [];
    switch (row.event) {
      case 'run.failed':
        return { partnerName, event: row.event, title: 'A ConnectWise export failed', lines: [`Run ${runId ?? '?'}: ${text(payload.reason, 'no reason recorded')}`], link };
      case 'credentials.rejected':
        return {
          partnerName,
          event: row.event,
          title: 'ConnectWise rejected the stored credentials',
          lines: [
            text(payload.message, ''),
            'Exports are stopped: quantities in ConnectWise are not being updated until new credentials are entered (step 1 of the wizard).',
          ],
          link,
        };
      case 'account.failing':
        return {
          partnerName,
          event: row.event,
          title: `${total} account(s) failed on ${String(payload.threshold)} consecutive exports`,
          lines: [...accounts.map((a) => `${a.accountName} (${a.accountId}): ${a.reason ?? ''}`), ...more],
          link,
        };
      case 'accounts.unmapped':
        return {
          partnerName,
          event: row.event,
          title: `${total} customer account(s) not mapped to ConnectWise`,
          lines: [...accounts.map((a) => `${a.accountName} (${a.accountId})`), ...more, 'They are not exported until they are mapped (step 3 of the wizard).'],
        };
      case 'review.pending': {
        const summary = { pending: total, monthlyAdded: Number(payload.monthlyAdded ?? 0), monthlyRemoved: Number(payload.monthlyRemoved ?? 0), queueUrl: this.queueUrl(row.partnerId) };
        return {
          partnerName,
          event: row.event,
          title: `${total} change(s) wait for your review before they reach ConnectWise`,
          lines: [`${describeReview(summary)}.`, 'Approve, adjust or dismiss them in the review queue; approved changes are written by the next run or at once.'],
          link: summary.queueUrl,
        };
      }
      case 'suggestions.pending': {
        const ambiguous = typeof payload.ambiguous === 'number' ? payload.ambiguous : 0;
        return {
          partnerName,
          event: row.event,
          title:
            total > 0 || ambiguous === 0
              ? `${total} suggested mapping(s) waiting for your confirmation`
              : `${ambiguous} customer account(s) match several ConnectWise companies`,
          lines: [
            ...accounts.map((a) => `${a.accountName} (${a.accountId}) → ${a.companyName ?? '?'}${suggestionNote(a.score, a.tier)}`),
            ...more,
            ...(ambiguous > 0 ? [`${ambiguous} account(s) match several companies of the same name: pick one (step 3 of the wizard).`] : []),
          ],
        };
      }
      default:
        return { partnerName, event: row.event, title: row.event, lines: [JSON.stringify(payload)] };
    }
  }

  /** Retail prices price the largest changes when the price itself did not change; best effort. */
  private async retailPrices(partnerId: string): Promise<Map<string, number>> {
    try {
      const list = await this.platform.getRetailPrices(partnerId);
      return new Map(list.prices.map((p) => [p.sku, p.price]));
    } catch {
      return new Map();
    }
  }
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** " (confidence 93%)", with the tier when the suggestion has one: " (confidence 93%, exact name)". */
function suggestionNote(score: number | null | undefined, tier: string | null | undefined): string {
  if (typeof score !== 'number') return '';
  return ` (confidence ${Math.round(score * 100)}%${tier ? `, ${tier === 'exact' ? 'exact name' : tier}` : ''})`;
}
