import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { ExportWorkerConfig } from '@cwx/config';
import type { MessageBus } from '@cwx/messaging';
import { nestLogger } from '@cwx/observability';
import { openDatabase, type DatabaseHandle } from '@cwx/persistence';

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
export const WORKER_DATABASE = Symbol('WORKER_DATABASE');
export const WORKER_REDIS = Symbol('WORKER_REDIS');
export const WORKER_BUS = Symbol('WORKER_BUS');

/** Closes the database and Redis after the app (and so the bus transport, draining its jobs) closed. */
@Injectable()
class ConnectionsLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(WORKER_DATABASE) private readonly database: DatabaseHandle,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await this.database.close();
  }
}

/** The worker's connections: PostgreSQL, Redis (the partners' shared ConnectWise budget and job locks) and the bus. */
@Global()
@Module({})
export class WorkerConnectionsModule {
  static forRoot(config: ExportWorkerConfig, bus: MessageBus): DynamicModule {
    const log = nestLogger('ExportWorker');
    return {
      module: WorkerConnectionsModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: WORKER_BUS, useValue: bus },
        { provide: WORKER_DATABASE, useFactory: () => openDatabase({ driver: 'postgres', url: config.databaseUrl, poolSize: config.messaging.prefetch + 2 }) },
        {
          provide: WORKER_REDIS,
          useFactory: () =>
            new Redis(config.messaging.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 }).on('error', (error: Error) =>
              log.warn({ err: error.message }, 'redis connection problem'),
            ),
        },
        ConnectionsLifecycle,
      ],
      exports: [WORKER_CONFIG, WORKER_BUS, WORKER_DATABASE, WORKER_REDIS],
    };
  }
}
