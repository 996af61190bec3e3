import { DestinationPolicy } from '@cwx/outbound';
import type { ControlPlaneConfig } from '@cwx/config';
import { ExportJobHandlers, ExportWorkerModule, InMemoryJobLock, JobContextLoader } from '@cwx/jobs';
import type { MessageBus } from '@cwx/messaging';
import { nestLogger } from '@cwx/observability';
import { CredentialsCipher, type Database } from '@cwx/persistence';
import type { PlatformSource } from '@cwx/platform';
import { CONTROL_PLANE_CONFIG } from '../config.token';
import { ConnectWiseModule } from '../connectwise/connectwise.module';
import { PartnerBudget } from '../connectwise/partner-budget';
import { DATABASE } from '../database/database.module';
import { MESSAGE_BUS } from '../messaging/message-bus.token';
import { PLATFORM_SOURCE } from '../platform/platform.module';

/**
 * Local mode's worker: the worker process's module (`ExportWorkerModule`, libs/jobs) on the in-process
 * bus, drawing from the process's partner budget (in memory in local mode, the one the panel's
 * ConnectWise calls draw from too), with an in-memory job lock. Its handlers are consumed by the
 * control plane's bus transport, which starts after the app is ready and drains before the bus closes.
 */
export const EmbeddedWorkerModule = ExportWorkerModule.forRootAsync({
  imports: [ConnectWiseModule],
  inject: [CONTROL_PLANE_CONFIG, DATABASE, MESSAGE_BUS, PLATFORM_SOURCE, CredentialsCipher, DestinationPolicy, PartnerBudget],
  useFactory: (
    config: ControlPlaneConfig,
    db: Database,
    bus: MessageBus,
    platform: PlatformSource,
    cipher: CredentialsCipher,
    destinations: DestinationPolicy,
    { budget }: PartnerBudget,
  ) =>
    new ExportJobHandlers({
      db,
      bus,
      platform,
      loader: new JobContextLoader(db, cipher, { ...config.connectwise, destinations }, budget),
      lock: new InMemoryJobLock(),
      deliveryLimit: config.messaging.deliveryLimit,
      budget,
      logger: nestLogger('EmbeddedWorker'),
    }),
});
