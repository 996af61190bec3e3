import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ControlPlaneConfig } from '@cwx/config';
import { nestLogger } from '@cwx/observability';
import { createPartnerBudget, type RequestBudget } from '@cwx/throttle';
import { CONTROL_PLANE_CONFIG } from '../config.token';

/**
 * This process's handle on every partner's ConnectWise request budget: in fleet mode the Redis budget the
 * workers share (same keys), in local mode one in-memory budget that the embedded worker and the panel's
 * calls both draw from. The Redis connection is this provider's; it closes with the app.
 */
@Injectable()
export class PartnerBudget implements OnApplicationShutdown {
  readonly budget: RequestBudget;
  private readonly redis?: Redis;

  constructor(@Inject(CONTROL_PLANE_CONFIG) config: ControlPlaneConfig) {
    const { redisUrl, budgetPerMinute, budgetKeyPrefix } = config.messaging;
    if (redisUrl) {
      const logger = nestLogger('PartnerBudget');
      this.redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
      this.redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection problem'));
    }
    this.budget = createPartnerBudget({ requestsPerMinute: budgetPerMinute, redis: this.redis, keyPrefix: budgetKeyPrefix });
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
