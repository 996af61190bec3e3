import { Injectable } from '@nestjs/common';
import { inArray, isNull, sql } from 'drizzle-orm';
import { outbox, runs, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const;

export interface StoreGauges {
  outbox: { ready: number; held: number; oldestAgeSeconds: number };
  activeRuns: Record<(typeof ACTIVE_RUN_STATUSES)[number], number>;
}

/** The gauges the metrics scrape reads from the store, over every partner (no partner data leaves). */
@Injectable()
export class StoreGaugesRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async read(): Promise<StoreGauges> {
    const [pending] = await this.db
      .select({
        ready: sql<number>`count(*) filter (where ${outbox.heldForRun} is null)`.mapWith(Number),
        held: sql<number>`count(*) filter (where ${outbox.heldForRun} is not null)`.mapWith(Number),
        oldestAge: sql<number | null>`extract(epoch from now() - min(${outbox.createdAt}) filter (where ${outbox.heldForRun} is null))`.mapWith(Number),
      })
      .from(outbox)
      .where(isNull(outbox.publishedAt));
    const active = await this.db
      .select({ status: runs.status, n: sql<number>`count(*)`.mapWith(Number) })
      .from(runs)
      .where(inArray(runs.status, ACTIVE_RUN_STATUSES))
      .groupBy(runs.status);
    const activeOf = (status: string) => active.find((r) => r.status === status)?.n ?? 0;
    return {
      outbox: { ready: pending?.ready ?? 0, held: pending?.held ?? 0, oldestAgeSeconds: Math.max(0, pending?.oldestAge ?? 0) },
      activeRuns: { queued: activeOf('queued'), running: activeOf('running') },
    };
  }
}
