import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { metrics, renderMetrics } from '@cwx/observability';
import { Public } from '../auth/auth.guard';
import { ACTIVE_RUN_STATUSES, StoreGaugesRepository } from './store-gauges.repository';

/**
 * Prometheus metrics (`libs/observability/src/metrics.ts`): counters kept by the code as it works, and
 * gauges read from the database at each scrape (the outbox backlog and its age, runs not yet closed).
 * Every replica reports the same database gauges; dashboards take their max. Carries no partner data.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly store: StoreGaugesRepository) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() response: Response): Promise<void> {
    await this.readStoreGauges();
    const { contentType, body } = await renderMetrics();
    response.type(contentType).send(body);
  }

  private async readStoreGauges(): Promise<void> {
    const gauges = await this.store.read();
    metrics.outboxPending.set({ state: 'ready' }, gauges.outbox.ready);
    metrics.outboxPending.set({ state: 'held' }, gauges.outbox.held);
    metrics.outboxOldestAgeSeconds.set(gauges.outbox.oldestAgeSeconds);
    for (const status of ACTIVE_RUN_STATUSES) metrics.runsActive.set({ status }, gauges.activeRuns[status]);
  }
}
