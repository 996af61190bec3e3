import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InProcessMessageBus } from '@cwx/messaging';
import { buildOpenApiDocument, createControlPlaneApp, stableOpenApiJson } from './bootstrap';

/**
 * Entry point: writes the control plane's OpenAPI document to `openapi/control-plane.json` (committed;
 * a test fails when it drifts from the code). Run with `npm run openapi`.
 */

async function main(): Promise<void> {
  const app = await createControlPlaneApp({
    config: {
      http: { host: '127.0.0.1', port: 0 },
      database: { localDataDir: './data/unused' },
      auth: { jwtSecret: randomBytes(32).toString('hex') },
      encryption: { keys: new Map([['k', randomBytes(32)]]), activeKeyId: 'k' },
      connectwise: { clientId: 'openapi', extraAllowedOrigins: [], requestTimeoutMs: 1000, maxRetries: 0, retryMaxDelayMs: 1 },
      outbound: { allowPrivateDestinations: false },
      platform: { kind: 'folder', dataDir: './data/unused' },
      messaging: { prefetch: 1, deliveryLimit: 1, budgetPerMinute: 1 },
      embeddedWorker: false,
      scheduler: false,
      logLevel: 'silent',
    },
    inMemoryDatabase: true,
    scheduler: false,
    bus: new InProcessMessageBus(),
    messaging: false,
  });
  await app.init();
  const target = resolve(process.argv[2] ?? 'openapi/control-plane.json');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, stableOpenApiJson(buildOpenApiDocument(app)));
  await app.close();
  console.log(`wrote ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
