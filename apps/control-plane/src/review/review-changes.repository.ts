import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Database, lockPartnerReview, reviewChanges, reviewDecisions, reviewRevisions, reviewTotals, type ReviewTotals, reviewTotalsSql, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type ReviewChangeRow = typeof reviewChanges.$inferSelect;
export type ReviewDecisionRow = typeof reviewDecisions.$inferSelect;
export type NewReviewDecision = typeof reviewDecisions.$inferInsert;

/** Which filters a page of the queue has: one prepared statement per shape. */
export interface PageShape {
  pending: boolean;
  account: boolean;
  sku: boolean;
  classes: boolean;
}

/** The values of a page's placeholders. */
export type PageParams = {
  partnerId: string;
  status: string;
  accountId: string | null;
  sku: string | null;
  /** The classes, comma-separated. */
  classes: string;
  limit: number;
  offset: number;
};

/** A decision on pending changes: what is set on each (`decidedAt` is the database's now). */
export type ChangeDecision = Pick<ReviewChangeRow, 'status' | 'adjustedQuantity' | 'adjustedEffectiveDate' | 'decidedBy'>;

/** The partner's review queue (held changes) and its audit trail (decisions). Every query takes the partner id. */
@Injectable()
export class ReviewChangesRepository {
  private readonly pageStatements = new Map<string, ReturnType<ReviewChangesRepository['buildPageStatement']>>();
  private readonly revisionStatement;

  constructor(@InjectDatabase() private readonly db: Database) {
    this.revisionStatement = this.revisionQuery().prepare('review_revision');
  }

  /** The partner's queue revision as a query (placeholder `partnerId`): alone, or inside the page's statement. */
  private revisionQuery() {
    return this.db
      .select({ revision: reviewRevisions.revision })
      .from(reviewRevisions)
      .where(eq(reviewRevisions.partnerId, sql.placeholder('partnerId')));
  }

  /** The partner's queue revision (`review_revisions`, migration 0017); null before its first change. */
  async revision(partnerId: string): Promise<number | null> {
    const [row] = await this.revisionStatement.execute({ partnerId });
    return row?.revision ?? null;
  }

  /**
   * One page of changes (oldest waiting first) and the totals over every change the filters match, as the JSON
   * text of a `ReviewChangesPageDto`, built by PostgreSQL in one statement: the page's keys first (for pending
   * changes an index-only scan of the partial index `review_changes_pending_idx`, skipping `offset` entries without
   * reading rows), then only those rows' stored JSON (`item_json`, migration 0016); the totals from the trigger-kept
   * `review_change_totals` (migration 0015); with the partner's queue revision in the same snapshot (migration 0017).
   */
  async pageJson(shape: PageShape, params: PageParams): Promise<{ json: string; revision: number | null }> {
    const [row] = await this.pageStatement(shape).execute(params);
    return { json: row.page, revision: row.revision };
  }

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
      .select({ id: c.id })
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
      .offset(p('offset'));
    const totals = reviewTotalsSql({
      partnerId: p('partnerId'),
      status: p('status'),
      ...(shape.account ? { accountId: p('accountId') } : {}),
      ...(shape.sku ? { sku: p('sku') } : {}),
      ...(shape.classes ? { classes: p('classes') } : {}),
    });
    // Each row's JSON is stored (`item_json`, kept by a trigger: migration 0016); the page is their concatenation,
    // written exactly as json_build_object and json_agg wrote it before (` : ` and `, `), so the answer is unchanged
    // byte for byte. The keys come as an array (`id = any(...)`): fewer plan choices than a join (half the planning).
    // An aggregate without GROUP BY answers one row, also for a page past the end (items then []).
    return this.db
      .select({
        page: sql<string>`'{"items" : ' || coalesce('[' || string_agg(${c.itemJson}, ', ' order by ${c.waitingSince}, ${c.id}) || ']', '[]')
          || ', "totals" : ' || ${totals}::text
          || ', "limit" : ' || ${p('limit')}::int || ', "offset" : ' || ${p('offset')}::int || '}'`,
        revision: sql<number | null>`(${this.revisionQuery()})`.mapWith(Number),
      })
      .from(c)
      .where(sql`${c.id} = any(array(${keys}))`)
      .prepare(name);
  }

  /**
   * Decides the partner's changes among `ids` that are still pending, and writes one audit entry (`audit`) for each,
   * in one transaction under the partner's review lock; the changes decided.
   */
  decide(partnerId: string, ids: readonly number[], decision: ChangeDecision, audit: (row: ReviewChangeRow) => NewReviewDecision): Promise<ReviewChangeRow[]> {
    return this.db.transaction(async (tx) => {
      await lockPartnerReview(tx, partnerId);
      const rows = await tx
        .update(reviewChanges)
        .set({ ...decision, decidedAt: sql`now()` })
        .where(and(eq(reviewChanges.partnerId, partnerId), inArray(reviewChanges.id, [...ids]), eq(reviewChanges.status, 'pending')))
        .returning();
      if (rows.length > 0) await tx.insert(reviewDecisions).values(rows.map(audit));
      return rows;
    });
  }

  /**
   * The partner's pending changes as the `review.pending` alert needs them, in the caller's transaction: their
   * totals (trigger-kept, as the queue shows them) and a digest of their ids, computed here rather than read id by
   * id: the first 32 hex digits of the SHA-256 of the ids as text, sorted as text, one a line (the key the alert
   * had when it was computed in the process, so keys already stored still match). Undefined when none is pending.
   */
  async pendingSet(tx: Transaction, partnerId: string): Promise<{ totals: ReviewTotals; digest: string } | undefined> {
    const totals = await reviewTotals(tx, { partnerId, status: 'pending' });
    if (totals.count === 0) return undefined;
    const [pending] = await tx
      .select({ digest: sql<string>`left(encode(sha256(convert_to(string_agg(${reviewChanges.id}::text, chr(10) order by ${reviewChanges.id}::text collate "C"), 'UTF8')), 'hex'), 32)` })
      .from(reviewChanges)
      .where(and(eq(reviewChanges.partnerId, partnerId), eq(reviewChanges.status, 'pending')));
    return { totals, digest: pending.digest };
  }

  /** The count and monthly amounts of the partner's pending changes (@cwx/persistence reviewTotals). */
  pendingTotals(partnerId: string): Promise<ReviewTotals> {
    return reviewTotals(this.db, { partnerId, status: 'pending' });
  }

  /** How many of the partner's changes are approved and wait to be applied. */
  async approvedCount(partnerId: string): Promise<number | undefined> {
    const [approved] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reviewChanges)
      .where(and(eq(reviewChanges.partnerId, partnerId), eq(reviewChanges.status, 'approved')));
    return approved?.n;
  }

  /** Up to `limit` of the partner's decisions, newest first, older than decision `before` when given. */
  decisions(partnerId: string, before: number | undefined, limit: number): Promise<ReviewDecisionRow[]> {
    return this.db
      .select()
      .from(reviewDecisions)
      .where(and(eq(reviewDecisions.partnerId, partnerId), before === undefined ? undefined : sql`${reviewDecisions.id} < ${before}`))
      .orderBy(desc(reviewDecisions.id))
      .limit(limit);
  }
}
