import { Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import type { ReviewPolicy } from '@cwx/domain';
import { reviewPolicies, type Database, type Transaction } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export type ReviewPolicyRow = typeof reviewPolicies.$inferSelect;

/** The partner's review policy (versioned); the writes take the caller's transaction. */
@Injectable()
export class ReviewPoliciesRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async find(partnerId: string): Promise<ReviewPolicyRow | undefined> {
    const [row] = await this.db.select().from(reviewPolicies).where(eq(reviewPolicies.partnerId, partnerId));
    return row;
  }

  /** Locks the stored policy (`FOR UPDATE`) and reads its version; undefined when none is stored. */
  async lockVersion(tx: Transaction, partnerId: string): Promise<{ version: number } | undefined> {
    const [current] = await tx.select({ version: reviewPolicies.version }).from(reviewPolicies).where(eq(reviewPolicies.partnerId, partnerId)).for('update');
    return current;
  }

  /** Replaces the stored policy with `version`. */
  async update(tx: Transaction, partnerId: string, policy: ReviewPolicy, version: number, actor: string): Promise<void> {
    await tx.update(reviewPolicies).set({ policy, version, updatedBy: actor, updatedAt: sql`now()` }).where(eq(reviewPolicies.partnerId, partnerId));
  }

  /** The first version; false when another request inserted first. */
  async insert(tx: Transaction, partnerId: string, policy: ReviewPolicy, actor: string): Promise<boolean> {
    const inserted = await tx.insert(reviewPolicies).values({ partnerId, policy, updatedBy: actor }).onConflictDoNothing().returning({ version: reviewPolicies.version });
    return inserted.length > 0;
  }
}
