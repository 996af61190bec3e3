import { Inject, Injectable } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import type { Transaction } from '@cwx/persistence';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { accountRequested } from '../runs/outbox-messages';
import { OutboxRepository } from './outbox.repository';

/**
 * Account jobs of one run published at once; the rest wait in the outbox, held for their run, and are
 * released one per result. At ConnectWise's usual limit (about 1,000 calls a minute, `CW_BUDGET_PER_MINUTE`
 * 900) a partner needs few jobs in flight, and a small window keeps partners from queueing behind each
 * other; a tenant with a higher limit (an on-premises Manage) gets a window that grows with its budget, up
 * to RUN_WINDOW_MAX.
 */
export const RUN_WINDOW = 8;
export const RUN_WINDOW_MAX = 64;
const BUDGET_PER_WINDOW_SLOT = 120;

export function runWindowFor(budgetPerMinute: number): number {
  return Math.min(RUN_WINDOW_MAX, Math.max(RUN_WINDOW, Math.ceil(budgetPerMinute / BUDGET_PER_WINDOW_SLOT)));
}

/**
 * The run window, in the outbox: a run's account jobs are all written at once (durable), the first
 * `size` ready for the relay, the rest held (`held_for_run`) until a result releases the next one.
 */
@Injectable()
export class RunWindow {
  readonly size: number;

  constructor(
    @Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig,
    private readonly outbox: OutboxRepository,
  ) {
    this.size = config.messaging.runWindow ?? runWindowFor(config.messaging.budgetPerMinute);
  }

  /** Writes one job per account into the outbox, in the caller's transaction. */
  async enqueueAccountJobs(tx: Transaction, run: { id: string; partnerId: string }, accountIds: readonly string[], correlationId?: string): Promise<void> {
    const rows = accountIds.map((accountId, index) => ({
      ...accountRequested(run.id, run.partnerId, accountId, correlationId),
      heldForRun: index < this.size ? null : run.id,
    }));
    await this.outbox.insertMissing(tx, rows);
  }

  /** Releases the next held jobs of a run to the relay (all of them when the run stopped). */
  releaseNext(tx: Transaction, runId: string, count: number | 'all'): Promise<void> {
    return this.outbox.releaseHeld(tx, runId, count);
  }
}
