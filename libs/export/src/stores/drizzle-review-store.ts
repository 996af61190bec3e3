/** The review queue and the record of what we wrote, over the `@cwx/persistence` tables. */
import type { PendingChange, ReviewDecision, WrittenLine } from '@cwx/domain';
import { type Database, lockPartnerReview, reviewChanges, reviewDecisions, writtenLines } from '@cwx/persistence';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ReviewState, ReviewStore } from './stores';

export class DrizzleReviewStore implements ReviewStore {
  constructor(private readonly db: Database) {}

  async state(partnerId: string, agreementId: number): Promise<ReviewState> {
    const [rows, written] = await Promise.all([
      this.db
        .select({
          sku: reviewChanges.sku,
          fingerprint: reviewChanges.fingerprint,
          status: reviewChanges.status,
          adjustedQuantity: reviewChanges.adjustedQuantity,
          adjustedEffectiveDate: reviewChanges.adjustedEffectiveDate,
          firstSeenOn: reviewChanges.firstSeenOn,
        })
        .from(reviewChanges)
        .where(and(eq(reviewChanges.partnerId, partnerId), eq(reviewChanges.agreementId, agreementId), inArray(reviewChanges.status, ['approved', 'applied', 'dismissed']))),
      this.db
        .select({
          additionId: writtenLines.additionId,
          quantity: writtenLines.quantity,
          unitPrice: writtenLines.unitPrice,
          unitCost: writtenLines.unitCost,
          cancelledDate: writtenLines.cancelledDate,
        })
        .from(writtenLines)
        .where(and(eq(writtenLines.partnerId, partnerId), eq(writtenLines.agreementId, agreementId))),
    ]);
    // An applied change without an adjustment needs no decision any more (ConnectWise holds the platform's value); left
    // out, so the same value coming back later after a different one is reviewed again. An adjusted one keeps holding.
    const inForce = rows.filter((r) => r.status !== 'applied' || r.adjustedQuantity !== null || r.adjustedEffectiveDate !== null);
    const decisions: ReviewDecision[] = inForce.map((r) => ({
      sku: r.sku,
      fingerprint: r.fingerprint,
      status: r.status === 'dismissed' ? 'dismissed' : 'approved',
      ...(r.adjustedQuantity === null ? {} : { quantity: r.adjustedQuantity }),
      ...(r.adjustedEffectiveDate === null ? {} : { effectiveDate: r.adjustedEffectiveDate }),
    }));
    const firstSeen = new Map(rows.filter((r) => r.status === 'approved').map((r) => [r.sku, r.firstSeenOn]));
    return { decisions, firstSeen, written };
  }

  async recordQueue(
    partnerId: string,
    queue: { accountId: string; accountName: string; agreementId: number; runId: string; seenOn: string; pending: readonly PendingChange[] },
  ): Promise<void> {
    const { accountId, accountName, agreementId, runId, seenOn, pending } = queue;
    await this.db.transaction(async (tx) => {
      await lockPartnerReview(tx, partnerId); // before any row of the partner's changes (see lockPartnerReview)
      for (const change of pending) {
        const values = {
          accountName,
          additionId: change.additionId,
          classes: change.classes,
          reason: change.reason,
          before: change.before,
          after: change.after,
          monthlyAmount: change.monthlyAmount,
          lastSeenRunId: runId,
        };
        await tx
          .insert(reviewChanges)
          .values({ partnerId, accountId, agreementId, sku: change.sku, fingerprint: change.fingerprint, firstSeenOn: seenOn, ...values })
          .onConflictDoUpdate({
            target: [reviewChanges.partnerId, reviewChanges.agreementId, reviewChanges.sku, reviewChanges.fingerprint],
            set: {
              ...values,
              accountId,
              // A value that comes back after it was superseded waits again, from now.
              waitingSince: sql`CASE WHEN ${reviewChanges.status} = 'superseded' THEN now() ELSE ${reviewChanges.waitingSince} END`,
              status: sql`CASE WHEN ${reviewChanges.status} = 'superseded' THEN 'pending' ELSE ${reviewChanges.status} END`,
            },
          });
      }
      // A new value for a SKU retires the decisions made on its earlier values: a dismissal or an approval holds only
      // while the platform stays at the value it was made on.
      for (const change of pending) {
        await tx
          .update(reviewChanges)
          .set({ status: 'superseded' })
          .where(
            and(
              eq(reviewChanges.partnerId, partnerId),
              eq(reviewChanges.agreementId, agreementId),
              eq(reviewChanges.sku, change.sku),
              inArray(reviewChanges.status, ['approved', 'dismissed']),
              sql`${reviewChanges.fingerprint} <> ${change.fingerprint}`,
            ),
          );
      }
      const held = pending.map((c) => sql`(${c.sku}, ${c.fingerprint})`);
      await tx
        .update(reviewChanges)
        .set({ status: 'superseded' })
        .where(
          and(
            eq(reviewChanges.partnerId, partnerId),
            eq(reviewChanges.agreementId, agreementId),
            eq(reviewChanges.status, 'pending'),
            held.length === 0 ? undefined : sql`(${reviewChanges.sku}, ${reviewChanges.fingerprint}) NOT IN (${sql.join(held, sql`, `)})`,
          ),
        );
    });
  }

  async markApplied(partnerId: string, agreementId: number, runId: string, changes: readonly { sku: string; fingerprint: string }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.db.transaction(async (tx) => {
      await lockPartnerReview(tx, partnerId);
      for (const { sku, fingerprint } of changes) {
        const done = await tx
          .update(reviewChanges)
          .set({ status: 'applied', appliedRunId: runId, appliedAt: sql`now()` })
          .where(
            and(
              eq(reviewChanges.partnerId, partnerId),
              eq(reviewChanges.agreementId, agreementId),
              eq(reviewChanges.sku, sku),
              eq(reviewChanges.fingerprint, fingerprint),
              eq(reviewChanges.status, 'approved'),
            ),
          )
          .returning({ id: reviewChanges.id, accountId: reviewChanges.accountId, after: reviewChanges.after });
        for (const row of done) {
          await tx.insert(reviewDecisions).values({
            partnerId,
            changeId: row.id,
            action: 'apply',
            actor: `run:${runId}`,
            detail: { accountId: row.accountId, agreementId, sku, runId },
          });
        }
      }
    });
  }

  async saveWritten(partnerId: string, agreementId: number, lines: readonly WrittenLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.db
      .insert(writtenLines)
      .values(lines.map((line) => ({ partnerId, agreementId, ...line })))
      .onConflictDoUpdate({
        target: [writtenLines.partnerId, writtenLines.agreementId, writtenLines.additionId],
        set: {
          quantity: sql`excluded.quantity`,
          unitPrice: sql`excluded.unit_price`,
          unitCost: sql`excluded.unit_cost`,
          cancelledDate: sql`excluded.cancelled_date`,
          writtenAt: sql`now()`,
        },
      });
  }
}
