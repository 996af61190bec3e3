import { z } from 'zod';
import { ConfigValidationError } from '../config-error';
import { env, envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';
import { loadConnectWiseClientConfig, type ConnectWiseClientConfig } from './connectwise-client.config';
import { loadMessagingConfig, type MessagingConfig } from './messaging.config';
import { loadOutboundConfig, type OutboundConfig } from './outbound.config';
import { loadPlatformConfig, type PlatformConfig } from './platform.config';
import { loadStorageConfig } from './storage.config';

const schema = envSchema({
  /** Health and metrics only; the worker has no business HTTP routes. 0 disables the listener. */
  WORKER_HTTP_PORT: env.port(3100),
  WORKER_HTTP_HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: env.logLevel(),
});

export interface ExportWorkerConfig {
  http: { host: string; port: number };
  databaseUrl: string;
  encryption: { keys: ReadonlyMap<string, Buffer>; activeKeyId: string };
  connectwise: ConnectWiseClientConfig;
  outbound: OutboundConfig;
  platform: PlatformConfig;
  messaging: MessagingConfig & { amqpUrl: string; redisUrl: string };
  logLevel: string;
}

/** The export worker runs in fleet mode only: it needs PostgreSQL, RabbitMQ and Redis. */
export function loadExportWorkerConfig(source: Environment = readEnvironment()): ExportWorkerConfig {
  const e = parseEnvironment(schema, source);
  const messaging = loadMessagingConfig(source);
  const shared = loadStorageConfig(source);
  const problems = [];
  if (!shared.database.url) problems.push({ variable: 'DATABASE_URL', problem: 'is required for the export worker' });
  if (!messaging.amqpUrl) problems.push({ variable: 'AMQP_URL', problem: 'is required for the export worker' });
  if (!messaging.redisUrl) problems.push({ variable: 'REDIS_URL', problem: 'is required for the export worker' });
  if (problems.length > 0 || !shared.database.url || !messaging.amqpUrl || !messaging.redisUrl) throw new ConfigValidationError(problems);
  return {
    http: { host: e.WORKER_HTTP_HOST, port: e.WORKER_HTTP_PORT },
    databaseUrl: shared.database.url,
    encryption: shared.encryption,
    connectwise: loadConnectWiseClientConfig(source),
    outbound: loadOutboundConfig(source),
    platform: loadPlatformConfig(source),
    messaging: { ...messaging, amqpUrl: messaging.amqpUrl, redisUrl: messaging.redisUrl },
    logLevel: e.LOG_LEVEL,
  };
}
