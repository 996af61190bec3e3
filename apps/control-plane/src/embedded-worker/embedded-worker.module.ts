import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ControlPlaneConfig } from '@cwx/config';
import { ExportJobHandlers, InMemoryJobLock, JobContextLoader } from '@cwx/jobs';
import type { MessageBus } from '@cwx/messaging';
import { CredentialsCipher, type Database } from '@cwx/persistence';
import type { PlatformSource } from '@cwx/platform';
import { InMemoryRequestBudget } from '@cwx/throttle';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { InjectDatabase } from '../database/database.module';
import { InjectMessageBus } from '../messaging/message-bus.token';
import { InjectPlatform } from '../platform/platform.module';

/**
 * Local mode's worker: the same job handlers as `apps/export-worker` (libs/jobs), on the in-process
 * bus, with an in-memory request budget. Started after the app is ready, stopped (in-flight jobs
 * finished or handed back) before the bus closes.
 */
@Injectable()
export class EmbeddedWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EmbeddedWorker');
  private handlers?: ExportJobHandlers;

  constructor(
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
    @InjectDatabase() private readonly db: Database,
    @InjectMessageBus() private readonly bus: MessageBus,
    @InjectPlatform() private readonly platform: PlatformSource,
    private readonly cipher: CredentialsCipher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const budget = new InMemoryRequestBudget({ requestsPerMinute: this.config.messaging.budgetPerMinute });
    const log = this.logger;
    this.handlers = new ExportJobHandlers({
      db: this.db,
      bus: this.bus,
      platform: this.platform,
      loader: new JobContextLoader(this.db, this.cipher, this.config.connectwise, budget),
      lock: new InMemoryJobLock(),
      deliveryLimit: this.config.messaging.deliveryLimit,
      logger: {
        info: (context, message) => log.log(context, message),
        warn: (context, message) => log.warn(context, message),
        error: (context, message) => log.error(context, message),
      },
    });
    await this.handlers.start(this.config.messaging.prefetch);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.handlers?.stop();
  }
}

@Module({ providers: [EmbeddedWorker] })
export class EmbeddedWorkerModule {}
