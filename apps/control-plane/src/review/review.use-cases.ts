/**
 * The review queue as the partner works it: the policy, the held changes with filters and totals, decisions
 * (approve, adjust, dismiss; one or many), the run of approved changes, and the audit trail.
 * Rules of what waits and why: libs/domain/README.md, "Review and dating".
 */
import { Injectable } from '@nestjs/common';
import { CHANGE_CLASSES, RECOMMENDED_REVIEW_POLICY, NOTHING_WAITS_POLICY, REVIEW_PRESETS, type ReviewPolicy, reviewPolicyProblem } from '@cwx/domain';
import { Transactions } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';
import { StartRun } from '../runs/start-run.use-case';
import type { RunResponseDto } from '../runs/runs.dto';
import type {
  DecideRequestDto,
  DecideResponseDto,
  ReviewChangesQueryDto,
  ReviewPolicyResponseDto,
  SaveReviewPolicyRequestDto,
} from './review.dto';
import { ReviewChangesRepository } from './review-changes.repository';
import { type ReviewPage, ReviewPageCache } from './review-page-cache';
import { ReviewPoliciesRepository } from './review-policies.repository';

@Injectable()
export class ReviewPolicyUseCases {
  constructor(
    private readonly policies: ReviewPoliciesRepository,
    private readonly transactions: Transactions,
  ) {}

  async get(partnerId: string): Promise<ReviewPolicyResponseDto> {
    const row = await this.policies.find(partnerId);
    const stored = row?.policy as ReviewPolicy | undefined;
    return {
      policy: stored ?? NOTHING_WAITS_POLICY,
      configured: stored !== undefined,
      version: row?.version ?? 0,
      recommended: RECOMMENDED_REVIEW_POLICY,
    };
  }

  async save(partnerId: string, actor: string, request: SaveReviewPolicyRequestDto): Promise<ReviewPolicyResponseDto> {
    if (!request.preset && !request.policy) throw invalid('policy', 'give a preset or a policy');
    const base = request.preset ? REVIEW_PRESETS[request.preset] : NOTHING_WAITS_POLICY;
    const policy: ReviewPolicy = { ...base, ...(request.policy ?? {}), rules: { ...base.rules, ...(request.policy?.rules ?? {}) } };
    const problem = reviewPolicyProblem(policy);
    if (problem) throw invalid('policy', problem);
    await this.transactions.run(async (tx) => {
      const current = await this.policies.lockVersion(tx, partnerId);
      if (current && request.version !== current.version) {
        throw new AppError(AppErrorCode.VersionMismatch, `The review policy changed since it was read (version ${current.version}); read it again.`, { currentVersion: current.version });
      }
      if (current) {
        await this.policies.update(tx, partnerId, policy, current.version + 1, actor);
      } else {
        const inserted = await this.policies.insert(tx, partnerId, policy, actor);
        if (!inserted) throw new AppError(AppErrorCode.VersionMismatch, 'The review policy was saved by someone else meanwhile; read it again.');
      }
    });
    return this.get(partnerId);
  }
}

@Injectable()
export class ReviewQueueUseCases {
  private readonly pages = new ReviewPageCache();

  constructor(
    private readonly changes: ReviewChangesRepository,
    private readonly startRun: StartRun,
  ) {}

  /**
   * One page of changes (oldest waiting first) and the totals over every change the filters match (the JSON text of a
   * `ReviewChangesPageDto`) with its ETag. A page read before is served again while the partner's queue revision is
   * unchanged, and readers of a page that just changed share one read (ReviewPageCache).
   */
  async list(partnerId: string, query: ReviewChangesQueryDto): Promise<ReviewPage> {
    // Classes are validated against the fixed list (no commas in their names).
    const classes = (query.class ?? []).filter((c) => CHANGE_CLASSES.includes(c));
    const status = query.status ?? 'pending';
    const shape = { pending: status === 'pending', account: Boolean(query.accountId), sku: Boolean(query.sku), classes: classes.length > 0 };
    const params = {
      partnerId,
      status,
      accountId: query.accountId ?? null,
      sku: query.sku ?? null,
      classes: classes.join(','),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    };
    return this.pages.page(
      partnerId,
      JSON.stringify(params),
      () => this.changes.revision(partnerId),
      () => this.changes.pageJson(shape, params),
    );
  }

  /** Approve, adjust or dismiss pending changes; each decided change gets one audit entry. Changes no longer pending are skipped. */
  async decide(partnerId: string, actor: string, request: DecideRequestDto): Promise<DecideResponseDto> {
    if (request.action === 'adjust' && request.quantity === undefined && request.effectiveDate === undefined) {
      throw invalid('quantity', 'adjust needs a quantity or an effectiveDate');
    }
    if (request.action !== 'adjust' && (request.quantity !== undefined || request.effectiveDate !== undefined)) {
      throw invalid('action', 'quantity and effectiveDate go with adjust');
    }
    if (request.effectiveDate !== undefined && Number.isNaN(Date.parse(`${request.effectiveDate}T00:00:00Z`))) throw invalid('effectiveDate', 'must be a calendar date');
    const ids = [...new Set(request.ids)];
    const decided = await this.changes.decide(
      partnerId,
      ids,
      {
        status: request.action === 'dismiss' ? 'dismissed' : 'approved',
        adjustedQuantity: request.action === 'adjust' ? (request.quantity ?? null) : null,
        adjustedEffectiveDate: request.action === 'adjust' ? (request.effectiveDate ?? null) : null,
        decidedBy: actor,
      },
      (row) => ({
        partnerId,
        changeId: row.id,
        action: request.action,
        actor,
        detail: {
          accountId: row.accountId,
          accountName: row.accountName,
          agreementId: row.agreementId,
          sku: row.sku,
          classes: row.classes,
          before: row.before,
          after: row.after,
          monthlyAmount: row.monthlyAmount,
          ...(request.quantity === undefined ? {} : { quantity: request.quantity }),
          ...(request.effectiveDate === undefined ? {} : { effectiveDate: request.effectiveDate }),
        },
      }),
    );
    const done = new Set(decided.map((r) => r.id));
    return { decided: decided.length, skipped: ids.filter((id) => !done.has(id)) };
  }

  /** A run of the approved changes only, through the same worker path (throttled, logged). */
  async applyApproved(partnerId: string, correlationId?: string): Promise<RunResponseDto> {
    if (!(await this.changes.approvedCount(partnerId))) throw new AppError(AppErrorCode.Conflict, 'No approved change waits to be applied.');
    return this.startRun.execute({ partnerId, trigger: 'review', ...(correlationId ? { correlationId } : {}) });
  }

  /** The audit trail, newest first, in batches (for the CSV). */
  async *decisions(partnerId: string): AsyncGenerator<AuditRow> {
    let before: number | undefined;
    for (;;) {
      const rows = await this.changes.decisions(partnerId, before, 500);
      for (const row of rows) yield { id: row.id, changeId: row.changeId, action: row.action, actor: row.actor, at: row.at.toISOString(), detail: row.detail as Record<string, unknown> };
      if (rows.length < 500) return;
      before = rows[rows.length - 1].id;
    }
  }
}

export interface AuditRow {
  id: number;
  changeId: number;
  action: string;
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

function invalid(field: string, reason: string): AppError {
  return new AppError(AppErrorCode.ValidationFailed, `Invalid request: ${field} ${reason}.`, { fields: [{ field, reason }] });
}
