import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { MessageBus } from '@cwx/messaging';
import { readinessChecks } from '@cwx/observability';
import type { DatabaseHandle } from '@cwx/persistence';
import { Public } from '../auth/auth.guard';
import { DATABASE_HANDLE } from '../database/database.module';
import { MESSAGE_BUS } from '../messaging/message-bus.token';

/**
 * Liveness says the process runs; readiness says it can serve: the store answers and the broker is
 * connected (RabbitMQ in fleet mode; the in-process queue in local mode). The control plane uses no
 * Redis (only workers share the ConnectWise budget there), so its readiness does not wait for it.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(readinessChecks(this.indicator, { database: this.database, broker: this.bus }));
  }
}
