import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { DatabaseHandle } from '@cwx/persistence';
import { Public } from '../auth/auth.guard';
import { DATABASE_HANDLE } from '../database/database.module';

/** Liveness says the process runs; readiness says it can serve (the store answers). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.checkDatabase()]);
  }

  private async checkDatabase(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('database');
    try {
      await this.database.ping();
      return check.up({ driver: this.database.driver });
    } catch {
      return check.down({ driver: this.database.driver });
    }
  }
}
