import { Injectable } from '@nestjs/common';
import { desc, eq } from 'drizzle-orm';
import { connectwiseCredentials, exportSettings, runs, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { AppError } from '../http/app-error';
import { PartnersRepository } from '../partners/partners.repository';
import type { IntegrationStatusResponseDto } from './integration-status.dto';
import { nextDailyRun } from './next-daily-run';

/** What the management page shows: state, next scheduled export, last export with its counts. */
@Injectable()
export class GetIntegrationStatus {
  constructor(
    @InjectDatabase() private readonly db: Database,
    private readonly partners: PartnersRepository,
  ) {}

  async execute(command: { partnerId: string; now?: Date }): Promise<IntegrationStatusResponseDto> {
    const { partnerId } = command;
    const integration = await this.partners.findIntegration(partnerId);
    if (!integration) throw AppError.notFound(`Partner ${partnerId}`);
    const [settings] = await this.db.select().from(exportSettings).where(eq(exportSettings.partnerId, partnerId));
    const [credentials] = await this.db
      .select({ partnerId: connectwiseCredentials.partnerId })
      .from(connectwiseCredentials)
      .where(eq(connectwiseCredentials.partnerId, partnerId));
    const [lastRun] = await this.db.select().from(runs).where(eq(runs.partnerId, partnerId)).orderBy(desc(runs.createdAt)).limit(1);

    const schedulable = integration.state === 'active' || integration.state === 'needs_attention';
    const daily = settings?.mode === 'daily' && settings.dailyTime ? { time: settings.dailyTime, timeZone: settings.timeZone } : undefined;
    const next = schedulable && daily ? nextDailyRun(daily, command.now ?? new Date()) : undefined;
    return {
      partnerId,
      state: integration.state,
      attentionReason: integration.attentionReason,
      credentialsStored: credentials !== undefined,
      exportMode: settings?.mode ?? 'manual',
      nextScheduledExport: next && daily ? { local: next.local, utc: next.utc, timeZone: daily.timeZone } : null,
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
