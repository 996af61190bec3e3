import type { runs } from '@cwx/persistence';
import type { RunResponseDto } from './runs.dto';

export function toRunResponse(run: typeof runs.$inferSelect): RunResponseDto {
  return {
    id: run.id,
    trigger: run.trigger,
    scheduledForDate: run.scheduledForDate,
    status: run.status,
    total: run.totalAccounts,
    done: run.doneAccounts,
    changed: run.changedAccounts,
    unchanged: run.unchangedAccounts,
    failed: run.failedAccounts,
    reason: run.reason,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    logUrl: `/partners/${encodeURIComponent(run.partnerId)}/runs/${run.id}/log`,
  };
}
