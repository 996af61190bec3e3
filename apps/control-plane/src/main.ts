import 'reflect-metadata';
import { LOCAL_SECRETS_FILE, loadControlPlaneConfig } from '@cwx/config';
import { AmqpMessageBus, InProcessMessageBus, type MessageBus } from '@cwx/messaging';
import { createControlPlaneApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadControlPlaneConfig();
  const bus: MessageBus = config.messaging.amqpUrl
    ? await AmqpMessageBus.connect({
        url: config.messaging.amqpUrl,
        deliveryLimit: config.messaging.deliveryLimit,
        connectionName: 'control-plane',
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
  const url = `http://${config.http.host}:${config.http.port}`;
  const mode = config.database.url ? 'fleet mode' : `local mode (data in ${config.database.localDataDir}, generated secrets in ${config.database.localDataDir}/${LOCAL_SECRETS_FILE})`;
  console.log(`control plane listening on ${url} — ${mode}; Swagger UI at ${url}/docs`);
}

main().catch((error: unknown) => {
  // Config errors name the variable, never its value; anything else is printed without request data.
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
