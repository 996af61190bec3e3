import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { loadExportWorkerConfig } from '@cwx/config';
import { AmqpMessageBus, BusTransport, consumerPrefetch } from '@cwx/messaging';
import { nestLogger, pinoLogger, productVersion, QuietStartLogger, startProcessMetrics } from '@cwx/observability';
import { WorkerAppModule } from './worker.module';

/**
 * Entry point of one export worker process: a Nest application whose microservice is the bus transport
 * over RabbitMQ (catalog and account jobs in, results out), with HTTP for health and metrics only
 * (`/health/live`, `/health/ready`, `/metrics` on WORKER_HTTP_PORT; none when it is 0). SIGTERM/SIGINT
 * finish or hand back the jobs in flight before it exits.
 */
async function main(): Promise<void> {
  const config = loadExportWorkerConfig();
  startProcessMetrics('worker', productVersion());
  const bus = await AmqpMessageBus.connect({
    url: config.messaging.amqpUrl,
    deliveryLimit: config.messaging.deliveryLimit,
    connectionName: `export-worker-${process.pid}`,
    logger: pinoLogger(pino({ level: config.logLevel, base: { service: 'export-worker', context: 'MessageBus', pid: process.pid } })),
    ...(config.messaging.queuePrefix ? { queuePrefix: config.messaging.queuePrefix } : {}),
  });
  const app = await NestFactory.create(WorkerAppModule.forRoot({ config, bus }), { bufferLogs: true, abortOnError: false });
  app.useLogger(new QuietStartLogger(app.get(Logger)));
  app.flushLogs();
  app.connectMicroservice<MicroserviceOptions>({ strategy: new BusTransport({ bus, prefetch: consumerPrefetch(config.messaging.prefetch) }) });
  await app.init();
  await app.startAllMicroservices();
  const log = nestLogger('ExportWorker');
  log.info({ prefetch: config.messaging.prefetch }, 'export worker consuming');
  if (config.http.port > 0) await app.listen(config.http.port, config.http.host);
  log.info({ health: `http://${config.http.host}:${config.http.port}/health/ready`, version: productVersion() }, 'export worker ready');
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    await bus.close();
    log.info({}, 'export worker stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
