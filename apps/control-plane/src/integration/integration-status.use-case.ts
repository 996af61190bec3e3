import { Injectable } from '@nestjs/common';
import { AppError } from '../http/app-error';
import { PartnersRepository } from '../partners/partners.repository';
import { RunsRepository } from '../runs/runs.repository';
import type { IntegrationStatusResponseDto } from './integration-status.dto';
import { exportSchedule } from '../scheduler/schedule';
import { ScheduleRepository } from '../scheduler/schedule.repository';

/** What the management page shows: state, next scheduled export, last export with its counts. */
@Injectable()
export class GetIntegrationStatus {
  constructor(
    private readonly partners: PartnersRepository,
    private readonly runs: RunsRepository,
    private readonly schedules: ScheduleRepository,
  ) {}

  async execute(command: { partnerId: string; now?: Date }): Promise<IntegrationStatusResponseDto> {
    const { partnerId } = command;
    const integration = await this.partners.findIntegration(partnerId);
    if (!integration) throw AppError.notFound(`Partner ${partnerId}`);
    const input = await this.schedules.exportInput(partnerId);
    const lastRun = await this.runs.latest(partnerId);

    // The function the daily scheduler fires by: a next export shown here is one that fires.
    const schedule = input ? exportSchedule(input, command.now ?? new Date()) : undefined;
    return {
      partnerId,
      state: integration.state,
      attentionReason: integration.attentionReason,
      credentialsStored: input?.credentialsStored ?? false,
      exportMode: input?.settings?.mode ?? 'manual',
      nextScheduledExport: schedule?.scheduled ? { local: schedule.next.local, utc: schedule.next.utc, timeZone: schedule.next.timeZone } : null,
      notScheduledReason: schedule?.scheduled === false ? schedule.reason : null,
      lastExport: lastRun
        ? {
            id: lastRun.id,
            status: lastRun.status,
            examined: lastRun.doneAccounts,
            changed: lastRun.changedAccounts,
            unchanged: lastRun.unchangedAccounts,
            failed: lastRun.failedAccounts,
            finishedAt: lastRun.finishedAt?.toISOString() ?? null,
            logUrl: `/partners/${encodeURIComponent(partnerId)}/runs/${lastRun.id}/log`,
          }
        : null,
    };
  }
}
