import { Controller, Get, Header, HttpStatus, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import type { MessageBus } from '@cwx/messaging';
import { readinessChecks, renderMetrics } from '@cwx/observability';
import type { DatabaseHandle } from '@cwx/persistence';
import { WORKER_BUS, WORKER_DATABASE, WORKER_REDIS } from './connections.module';

/** `status` (`ok`, `error`), then `up` or `down` per check. */
type Checks = Record<string, string>;

/**
 * The worker's only HTTP: liveness (the process runs), readiness (it can take jobs: the database, the
 * broker and Redis, the shared ConnectWise budget, all answer; 503 otherwise), and Prometheus metrics.
 * Readiness answers one flat object, `{ status, database, broker, redis }` (the checks: `readinessChecks`).
 */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(WORKER_DATABASE) private readonly database: DatabaseHandle,
    @Inject(WORKER_BUS) private readonly bus: MessageBus,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
  ) {}

  @Get('health/live')
  live(): Promise<Checks> {
    return this.check([]);
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<Checks> {
    const checks = await this.check(readinessChecks(this.indicator, { database: this.database, broker: this.bus, redis: this.redis }));
    response.status(checks.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return checks;
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() response: Response): Promise<void> {
    const { contentType, body } = await renderMetrics();
    response.type(contentType).send(body);
  }

  private async check(indicators: HealthIndicatorFunction[]): Promise<Checks> {
    const result = await this.health.check(indicators).catch((error: unknown) => {
      if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
      throw error;
    });
    const checks: Checks = { status: result.status };
    for (const [name, { status }] of Object.entries(result.details)) checks[name] = status === 'up' ? 'up' : 'down';
    return checks;
  }
}
