import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import type { ExportWorkerConfig } from '@cwx/config';
import { ExportJobHandlers, ExportWorkerModule, JobContextLoader, RedisJobLock } from '@cwx/jobs';
import type { MessageBus } from '@cwx/messaging';
import { LoggingModule, nestLogger } from '@cwx/observability';
import { DestinationPolicy } from '@cwx/outbound';
import { CredentialsCipher, type DatabaseHandle } from '@cwx/persistence';
import { createPlatformSource } from '@cwx/platform';
import { createPartnerBudget } from '@cwx/throttle';
import { WORKER_DATABASE, WORKER_REDIS, WorkerConnectionsModule } from './connections.module';
import { HealthController } from './health.controller';

/**
 * The export worker process: `ExportWorkerModule` (the same module local mode imports) on RabbitMQ, with
 * each partner's ConnectWise budget and the job locks in Redis; HTTP for health and metrics only. It holds
 * no state of its own; any number may run at once.
 */
@Module({})
export class WorkerAppModule {
  static forRoot({ config, bus }: { config: ExportWorkerConfig; bus: MessageBus }): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        LoggingModule.forRoot({ service: 'export-worker', level: config.logLevel }),
        TerminusModule,
        WorkerConnectionsModule.forRoot(config, bus),
        ExportWorkerModule.forRootAsync({
          inject: [WORKER_DATABASE, WORKER_REDIS],
          useFactory: ({ db }: DatabaseHandle, redis: Redis) => {
            const budget = createPartnerBudget({ requestsPerMinute: config.messaging.budgetPerMinute, redis, keyPrefix: config.messaging.budgetKeyPrefix });
            const cipher = new CredentialsCipher(config.encryption.keys, config.encryption.activeKeyId);
            const destinations = new DestinationPolicy({ allowPrivate: config.outbound.allowPrivateDestinations });
            return new ExportJobHandlers({
              db,
              bus,
              platform: createPlatformSource(config.platform),
              loader: new JobContextLoader(db, cipher, { ...config.connectwise, destinations }, budget),
              lock: new RedisJobLock(redis, `${config.messaging.budgetKeyPrefix ?? 'cwx:'}lock:`),
              deliveryLimit: config.messaging.deliveryLimit,
              budget,
              logger: nestLogger('ExportJobs'),
            });
          },
        }),
      ],
      controllers: [HealthController],
    };
  }
}
