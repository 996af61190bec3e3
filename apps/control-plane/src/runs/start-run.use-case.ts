import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Transaction } from '@cwx/persistence';
import { nestLogger } from '@cwx/observability';
import { Transactions } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';
import { SyncAccounts } from '../mapping/accounts.use-cases';
import { OutboxRepository } from '../messaging/outbox.repository';
import { PartnersRepository } from '../partners/partners.repository';
import { catalogRequested } from './outbox-messages';
import { OutboxSignal } from './outbox-signal';
import { toRunResponse } from './run-response';
import type { RunResponseDto } from './runs.dto';
import { RunsRepository, type RunRow } from './runs.repository';

export interface StartRunCommand {
  partnerId: string;
  trigger: 'manual' | 'scheduled' | 'review';
  /** Scheduled runs: the partner's local date; unique per partner, so "daily" fires once. */
  scheduledForDate?: string;
  correlationId?: string;
}

/**
 * Creates a run and its first message (the catalog phase) in one transaction: the outbox relay
 * publishes it. A disabled or unconfigured integration never starts a run; a second run while one is
 * queued or running is refused (a partial unique index makes that hold across replicas).
 *
 * Before a run that will start, the partner's accounts are synced from the platform (names and statuses), so the
 * export bills a suspended or cancelled account by the partner's policy and titles each users CSV with the current
 * name. A sync that fails (platform unavailable) does not stop the run: it goes on with the last synced values.
 */
@Injectable()
export class StartRun {
  private readonly logger = nestLogger('StartRun');

  constructor(
    private readonly runs: RunsRepository,
    private readonly partners: PartnersRepository,
    private readonly outbox: OutboxRepository,
    private readonly transactions: Transactions,
    private readonly signal: OutboxSignal,
    private readonly sync: SyncAccounts,
  ) {}

  async execute(command: StartRunCommand): Promise<RunResponseDto> {
    const started = await this.tryStart(command);
    if (started) return toRunResponse(started);
    const active = await this.runs.active(command.partnerId);
    if (active) {
      throw new AppError(AppErrorCode.RunAlreadyActive, `An export is already running for this partner (run ${active.id}); wait for it to finish.`, {
        activeRunId: active.id,
      });
    }
    throw new AppError(AppErrorCode.Conflict, `The export for ${command.scheduledForDate ?? 'this day'} has already run.`);
  }

  /** Returns the new run, or undefined when a unique key said no (one already active, or already ran today). */
  async tryStart(command: StartRunCommand): Promise<RunRow | undefined> {
    if (await this.mayStart(command)) await this.refreshAccounts(command.partnerId);
    const run = await this.insert(command);
    if (run) this.signal.notify();
    return run;
  }

  /** False when a unique key will refuse the run (one active, or this date's already ran): the scheduler asks every tick. */
  private async mayStart(command: StartRunCommand): Promise<boolean> {
    return !(await this.runs.startBlocked(command.partnerId, command.scheduledForDate));
  }

  private async refreshAccounts(partnerId: string): Promise<void> {
    try {
      await this.sync.execute({ partnerId });
    } catch (error) {
      this.logger.warn({ partnerId, err: error instanceof Error ? error.message : String(error) }, 'accounts not synced before the run; using the last synced names and statuses');
    }
  }

  private insert(command: StartRunCommand): Promise<RunRow | undefined> {
    return this.transactions.run(async (tx) => {
      await this.assertStartable(tx, command.partnerId);
      const run = await this.runs.insert(tx, {
        id: randomUUID(),
        partnerId: command.partnerId,
        trigger: command.trigger,
        scheduledForDate: command.scheduledForDate ?? null,
        status: 'queued',
      });
      if (!run) return undefined;
      await this.outbox.insert(tx, catalogRequested(run.id, command.partnerId, command.correlationId));
      return run;
    });
  }

  private async assertStartable(tx: Transaction, partnerId: string): Promise<void> {
    const integration = await this.partners.findIntegration(partnerId, tx);
    if (!integration) throw AppError.notFound(`Partner ${partnerId}`);
    if (integration.state === 'disabled') {
      throw new AppError(AppErrorCode.IntegrationDisabled, 'The integration is disabled; enter credentials again to enable it.');
    }
    if (!(await this.partners.hasCredentials(tx, partnerId))) throw new AppError(AppErrorCode.CredentialsRequired, 'Enter ConnectWise credentials first (step 1).');
  }
}
