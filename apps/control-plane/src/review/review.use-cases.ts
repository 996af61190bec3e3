/**
 * The review queue as the partner works it: the policy, the held changes with filters and totals, decisions
 * (approve, adjust, dismiss; one or many), the run of approved changes, and the audit trail.
 * Rules of what waits and why: libs/domain/README.md, "Review and dating".
 */
import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { CHANGE_CLASSES, RECOMMENDED_REVIEW_POLICY, NOTHING_WAITS_POLICY, REVIEW_PRESETS, type ReviewPolicy, reviewPolicyProblem } from '@cwx/domain';
import { type Database, lockPartnerReview, reviewChanges, reviewDecisions, reviewPolicies, reviewTotalsSql } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
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

@Injectable()
export class ReviewPolicyUseCases {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async get(partnerId: string): Promise<ReviewPolicyResponseDto> {
    const [row] = await this.db.select().from(reviewPolicies).where(eq(reviewPolicies.partnerId, partnerId));
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
    await this.db.transaction(async (tx) => {
      const [current] = await tx.select({ version: reviewPolicies.version }).from(reviewPolicies).where(eq(reviewPolicies.partnerId, partnerId)).for('update');
      if (current && request.version !== current.version) {
        throw new AppError(AppErrorCode.VersionMismatch, `The review policy changed since it was read (version ${current.version}); read it again.`, { currentVersion: current.version });
      }
      if (current) {
        await tx.update(reviewPolicies).set({ policy, version: current.version + 1, updatedBy: actor, updatedAt: sql`now()` }).where(eq(reviewPolicies.partnerId, partnerId));
      } else {
        const inserted = await tx.insert(reviewPolicies).values({ partnerId, policy, updatedBy: actor }).onConflictDoNothing().returning({ version: reviewPolicies.version });
        if (inserted.length === 0) throw new AppError(AppErrorCode.VersionMismatch, 'The review policy was saved by someone else meanwhile; read it again.');
      }
    });
    return this.get(partnerId);
  }
}

@Injectable()
export class ReviewQueueUseCases {
  constructor(
    @InjectDatabase() private readonly db: Database,
    private readonly startRun: StartRun,
  ) {}

  /**
   * One page of changes (oldest waiting first) and the totals over every change the filters match, as the JSON
   * text of a `ReviewChangesPageDto`, built by PostgreSQL in one statement: the page's keys first (for pending
   * changes an index-only scan of the partial index `review_changes_pending_idx`, skipping `offset` entries without
   * reading rows), then only those rows; the totals from the trigger-kept `review_change_totals` (migration 0015).
   * Reading 100 rows into objects and serialising them again cost the control plane more CPU than the database spent.
   */
  async listJson(partnerId: string, query: ReviewChangesQueryDto): Promise<string> {
    // Classes are validated against the fixed list (no commas in their names).
    const classes = (query.class ?? []).filter((c) => CHANGE_CLASSES.includes(c));
    const status = query.status ?? 'pending';
    const shape = { pending: status === 'pending', account: Boolean(query.accountId), sku: Boolean(query.sku), classes: classes.length > 0 };
    const [row] = await this.pageStatement(shape).execute({
      partnerId,
      status,
      accountId: query.accountId ?? null,
      sku: query.sku ?? null,
      classes: classes.join(','),
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
    return row.page;
  }

  private readonly pageStatements = new Map<string, ReturnType<ReviewQueueUseCases['buildPageStatement']>>();

  /** The statement is built once per filter shape and prepared: building it cost more CPU than running it. */
  private pageStatement(shape: PageShape) {
    const name = `review_page_${Object.values(shape).map(Number).join('')}`;
    let statement = this.pageStatements.get(name);
    if (!statement) {
      statement = this.buildPageStatement(name, shape);
      this.pageStatements.set(name, statement);
    }
    return statement;
  }

  private buildPageStatement(name: string, shape: PageShape) {
    const p = (placeholder: string) => sql.placeholder(placeholder);
    const c = reviewChanges;
    const keys = this.db
      .select({ id: c.id, waitingSince: c.waitingSince })
      .from(c)
      .where(
        and(
          eq(c.partnerId, p('partnerId')),
          // `pending` is written as a literal so that the partial index applies to any plan of the statement.
          shape.pending ? sql`${c.status} = 'pending'` : sql`${c.status} = ${p('status')}::text`,
          shape.account ? sql`${c.accountId} = ${p('accountId')}::text` : undefined,
          shape.sku ? sql`${c.sku} = ${p('sku')}::text` : undefined,
          shape.classes ? sql`${c.classes} && string_to_array(${p('classes')}::text, ',')` : undefined,
        ),
      )
      .orderBy(asc(c.waitingSince), asc(c.id))
      .limit(p('limit'))
      .offset(p('offset'))
      .as('page_keys');
    const totals = reviewTotalsSql({
      partnerId: p('partnerId'),
      status: p('status'),
      ...(shape.account ? { accountId: p('accountId') } : {}),
      ...(shape.sku ? { sku: p('sku') } : {}),
      ...(shape.classes ? { classes: p('classes') } : {}),
    });
    const item = sql`json_build_object(
      'id', ${c.id}, 'accountId', ${c.accountId}, 'accountName', ${c.accountName}, 'agreementId', ${c.agreementId}, 'sku', ${c.sku},
      'additionId', ${c.additionId}, 'classes', ${c.classes}, 'reason', ${c.reason}, 'before', ${c.before}, 'after', ${c.after},
      'monthlyAmount', ${c.monthlyAmount}, 'status', ${c.status}, 'adjustedQuantity', ${c.adjustedQuantity},
      'adjustedEffectiveDate', ${c.adjustedEffectiveDate}, 'firstSeenOn', ${c.firstSeenOn}, 'waitingSince', ${iso(c.waitingSince)},
      'decidedBy', ${c.decidedBy}, 'decidedAt', ${iso(c.decidedAt)}, 'appliedAt', ${iso(c.appliedAt)})`;
    // An aggregate without GROUP BY answers one row, also for a page past the end (items then []).
    return this.db
      .select({
        page: sql<string>`json_build_object(
          'items', coalesce(json_agg(${item} order by ${keys.waitingSince}, ${keys.id}), '[]'::json),
          'totals', ${totals},
          'limit', ${p('limit')}::int,
          'offset', ${p('offset')}::int)::text`,
      })
      .from(keys)
      .innerJoin(c, eq(c.id, keys.id))
      .prepare(name);
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
    const decided = await this.db.transaction(async (tx) => {
      await lockPartnerReview(tx, partnerId);
      const rows = await tx
        .update(reviewChanges)
        .set({
          status: request.action === 'dismiss' ? 'dismissed' : 'approved',
          adjustedQuantity: request.action === 'adjust' ? (request.quantity ?? null) : null,
          adjustedEffectiveDate: request.action === 'adjust' ? (request.effectiveDate ?? null) : null,
          decidedBy: actor,
          decidedAt: sql`now()`,
        })
        .where(and(eq(reviewChanges.partnerId, partnerId), inArray(reviewChanges.id, ids), eq(reviewChanges.status, 'pending')))
        .returning();
      if (rows.length > 0) {
        await tx.insert(reviewDecisions).values(
          rows.map((row) => ({
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
          })),
        );
      }
      return rows.map((r) => r.id);
    });
    const done = new Set(decided);
    return { decided: decided.length, skipped: ids.filter((id) => !done.has(id)) };
  }

  /** A run of the approved changes only, through the same worker path (throttled, logged). */
  async applyApproved(partnerId: string, correlationId?: string): Promise<RunResponseDto> {
    const [approved] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reviewChanges)
      .where(and(eq(reviewChanges.partnerId, partnerId), eq(reviewChanges.status, 'approved')));
    if (!approved || approved.n === 0) throw new AppError(AppErrorCode.Conflict, 'No approved change waits to be applied.');
    return this.startRun.execute({ partnerId, trigger: 'review', ...(correlationId ? { correlationId } : {}) });
  }

  /** The audit trail, newest first, in batches (for the CSV). */
  async *decisions(partnerId: string): AsyncGenerator<AuditRow> {
    let before: number | undefined;
    for (;;) {
      const rows = await this.db
        .select()
        .from(reviewDecisions)
        .where(and(eq(reviewDecisions.partnerId, partnerId), before === undefined ? undefined : sql`${reviewDecisions.id} < ${before}`))
        .orderBy(desc(reviewDecisions.id))
        .limit(500);
      for (const row of rows) yield { id: row.id, changeId: row.changeId, action: row.action, actor: row.actor, at: row.at.toISOString(), detail: row.detail as Record<string, unknown> };
      if (rows.length < 500) return;
      before = rows[rows.length - 1].id;
    }
  }
}

interface PageShape {
  pending: boolean;
  account: boolean;
  sku: boolean;
  classes: boolean;
}

export interface AuditRow {
  id: number;
  changeId: number;
  action: string;
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

/** A timestamp as JavaScript's `toISOString` writes it (UTC, milliseconds, `Z`), or null. */
function iso(column: AnyPgColumn): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

function invalid(field: string, reason: string): AppError {
  return new AppError(AppErrorCode.ValidationFailed, `Invalid request: ${field} ${reason}.`, { fields: [{ field, reason }] });
}
