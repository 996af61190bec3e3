import 'reflect-metadata';
import pino from 'pino';
import { loadControlPlaneConfig } from '@cwx/config';
import { AmqpMessageBus, InProcessMessageBus, type MessageBus } from '@cwx/messaging';
import { pinoLogger, productVersion, startProcessMetrics } from '@cwx/observability';
import { createControlPlaneApp } from './bootstrap';
import { localConsoleLinks } from './console/local-sign-in';
import { reachableUrl, startBanner } from './start-banner';

async function main(): Promise<void> {
  const config = loadControlPlaneConfig();
  startProcessMetrics(config.database.url ? 'control-plane' : 'local', productVersion());
  const bus: MessageBus = config.messaging.amqpUrl
    ? await AmqpMessageBus.connect({
        url: config.messaging.amqpUrl,
        deliveryLimit: config.messaging.deliveryLimit,
        connectionName: 'control-plane',
        // Disconnects, reconnects and resubscriptions show up in the log as they do in the workers'.
        logger: pinoLogger(pino({ level: config.logLevel, base: { service: 'control-plane', context: 'MessageBus' } })),
        ...(config.messaging.queuePrefix ? { queuePrefix: config.messaging.queuePrefix } : {}),
      })
    : new InProcessMessageBus({ deliveryLimit: config.messaging.deliveryLimit });
  const app = await createControlPlaneApp({ config, bus });
  const shutdown = async () => {
    await app.close();
    await bus.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  await app.listen(config.http.port, config.http.host);
  const consoleLinks = config.database.url ? [] : await localConsoleLinks(app, config, reachableUrl(config.http.host, config.http.port));
  console.log(startBanner(config, consoleLinks).join('\n'));
}

main().catch((error: unknown) => {
  // Config errors name the variable, never its value; anything else is printed without request data.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
