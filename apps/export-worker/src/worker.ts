import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { ExportWorkerConfig } from '@cwx/config';
import { ExportJobHandlers, JobContextLoader, RedisJobLock, type JobLogger } from '@cwx/jobs';
import { AmqpMessageBus, type BusLogger } from '@cwx/messaging';
import { CredentialsCipher, openDatabase, type DatabaseHandle } from '@cwx/persistence';
import { createPlatformSource } from '@cwx/platform';
import { RedisRequestBudget } from '@cwx/throttle';

export interface RunningWorker {
  database: DatabaseHandle;
  bus: AmqpMessageBus;
  redis: Redis;
  logger: Logger;
  /** Stop taking jobs, finish or hand back the in-flight ones, then close every connection. */
  stop(): Promise<void>;
}

/**
 * The export worker: consumes catalog and account jobs from RabbitMQ, throttled per partner through
 * Redis, and publishes results. It holds no state of its own; any number may run at once.
 */
export async function startWorker(config: ExportWorkerConfig): Promise<RunningWorker> {
  const logger = pino({ level: config.logLevel, base: { service: 'export-worker', pid: process.pid } });
  const database = openDatabase({ driver: 'postgres', url: config.databaseUrl, poolSize: config.messaging.prefetch + 2 });
  const redis = new Redis(config.messaging.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection problem'));
  const bus = await AmqpMessageBus.connect({
    url: config.messaging.amqpUrl,
    deliveryLimit: config.messaging.deliveryLimit,
    connectionName: `export-worker-${process.pid}`,
    logger: busLogger(logger),
    ...(config.messaging.queuePrefix ? { queuePrefix: config.messaging.queuePrefix } : {}),
  });
  const budget = new RedisRequestBudget(redis, {
    requestsPerMinute: config.messaging.budgetPerMinute,
    ...(config.messaging.budgetKeyPrefix ? { keyPrefix: config.messaging.budgetKeyPrefix } : {}),
  });
  const cipher = new CredentialsCipher(config.encryption.keys, config.encryption.activeKeyId);
  const loader = new JobContextLoader(database.db, cipher, config.connectwise, budget);
  const handlers = new ExportJobHandlers({
    db: database.db,
    bus,
    platform: createPlatformSource(config.platform),
    loader,
    lock: new RedisJobLock(redis, `${config.messaging.budgetKeyPrefix ?? 'cwx:'}lock:`),
    deliveryLimit: config.messaging.deliveryLimit,
    logger: jobLogger(logger),
  });
  await handlers.start(config.messaging.prefetch);
  logger.info({ prefetch: config.messaging.prefetch }, 'export worker consuming');

  let stopping: Promise<void> | undefined;
  return {
    database,
    bus,
    redis,
    logger,
    stop: () =>
      (stopping ??= (async () => {
        await handlers.stop();
        await bus.close();
        redis.disconnect();
        await database.close();
        logger.info('export worker stopped');
      })()),
  };
}

function busLogger(logger: Logger): BusLogger {
  return {
    info: (message, context) => logger.info(context ?? {}, message),
    warn: (message, context) => logger.warn(context ?? {}, message),
    error: (message, context) => logger.error(context ?? {}, message),
  };
}

function jobLogger(logger: Logger): JobLogger {
  return {
    info: (context, message) => logger.info(context, message),
    warn: (context, message) => logger.warn(context, message),
    error: (context, message) => logger.error(context, message),
  };
}
