import type { INestApplication } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import type { ControlPlaneConfig } from '@cwx/config';
import { InProcessMessageBus, type MessageBus } from '@cwx/messaging';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';
import { createTestDatabase } from './postgres';

export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdef0123456789';

export function testControlPlaneConfig(overrides: Partial<ControlPlaneConfig> = {}): ControlPlaneConfig {
  return {
    http: { host: '127.0.0.1', port: 0 },
    database: { localDataDir: './data/test-unused' },
    auth: { jwtSecret: TEST_JWT_SECRET },
    encryption: { keys: new Map([['test-key', randomBytes(32)]]), activeKeyId: 'test-key' },
    connectwise: { clientId: 'test-client-id', extraAllowedOrigins: [], requestTimeoutMs: 5000, maxRetries: 2, retryMaxDelayMs: 200 },
    platform: { kind: 'folder', dataDir: './data/test-unused-platform' },
    messaging: { prefetch: 4, deliveryLimit: 3, budgetPerMinute: 6000, runWindow: 8 },
    embeddedWorker: false,
    scheduler: false,
    logLevel: 'silent',
    ...overrides,
  };
}

/** A bearer token as the panel would sign it. */
export async function partnerToken(partnerId: string, options: { secret?: string; expiresIn?: string; name?: string } = {}): Promise<string> {
  return new SignJWT({ partner_id: partnerId, ...(options.name ? { partner_name: options.name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`panel-user-of-${partnerId}`)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

export async function operatorToken(): Promise<string> {
  return new SignJWT({ role: 'operator' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('operator-1')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

export interface TestControlPlane {
  app: INestApplication;
  config: ControlPlaneConfig;
  bus: MessageBus;
  close(): Promise<void>;
}

/** Boots the control plane on PGlite in memory (default) or on a fresh PostgreSQL database. */
export async function startTestControlPlane(
  options: { database?: 'pglite' | 'postgres' | { url: string }; config?: Partial<ControlPlaneConfig>; bus?: MessageBus; messaging?: boolean; embeddedWorker?: boolean } = {},
): Promise<TestControlPlane> {
  const pg = options.database === 'postgres' ? await createTestDatabase() : undefined;
  const url = typeof options.database === 'object' ? options.database.url : pg?.url;
  const config = testControlPlaneConfig({
    ...options.config,
    database: url ? { url, localDataDir: './data/test-unused' } : { localDataDir: './data/test-unused' },
  });
  const bus = options.bus ?? new InProcessMessageBus({ deliveryLimit: config.messaging.deliveryLimit, retryDelayMs: 20 });
  const app = await createControlPlaneApp({ config, inMemoryDatabase: !url, scheduler: false, bus, messaging: options.messaging, embeddedWorker: options.embeddedWorker });
  await app.init();
  return {
    app,
    config,
    bus,
    async close() {
      await app.close();
      if (!options.bus) await bus.close();
      await pg?.drop();
    },
  };
}
