import { Controller, Get } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Simulator } from '../simulator/simulator';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly simulator: Simulator,
  ) {}

  /** Liveness: the process answers and its in-memory state is loaded. */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => ({ simulator: { status: 'up', companies: this.simulator.state.count('company/companies') } }),
    ]);
  }
}
