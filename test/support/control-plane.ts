import type { INestApplication } from '@nestjs/common';
import { SignJWT } from 'jose';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlPlaneConfig } from '@cwx/config';
import { InProcessMessageBus, type MessageBus } from '@cwx/messaging';
import type { DestinationPolicy } from '@cwx/outbound';
import { generatePartner, writePartnerToFolder, type GeneratePartnerOptions } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../apps/connectwise-sim/src/testing';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';
import type { components } from '../../apps/console/src/api/schema';
import { createTestDatabase } from './postgres';

export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdef0123456789';

export function testControlPlaneConfig(overrides: Partial<ControlPlaneConfig> = {}): ControlPlaneConfig {
  return {
    // Generous: suites send hundreds of requests a second with one token; rate-limit.test.ts sets its own.
    http: { host: '127.0.0.1', port: 0, rateLimit: { perSecond: 1_000_000, perMinute: 1_000_000 } },
    database: { localDataDir: './data/test-unused' },
    auth: { jwtSecret: TEST_JWT_SECRET },
    encryption: { keys: new Map([['test-key', randomBytes(32)]]), activeKeyId: 'test-key' },
    connectwise: { clientId: 'test-client-id', extraAllowedOrigins: [], requestTimeoutMs: 5000, maxRetries: 2, retryMaxDelayMs: 200 },
    // Explicitly: the test stacks reach the simulator and their webhook receivers on loopback.
    outbound: { allowPrivateDestinations: true },
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
  options: { database?: 'pglite' | 'postgres' | { url: string }; config?: Partial<ControlPlaneConfig>; bus?: MessageBus; messaging?: boolean; embeddedWorker?: boolean; destinations?: DestinationPolicy } = {},
): Promise<TestControlPlane> {
  const pg = options.database === 'postgres' ? await createTestDatabase() : undefined;
  const url = typeof options.database === 'object' ? options.database.url : pg?.url;
  const config = testControlPlaneConfig({
    ...options.config,
    database: url ? { url, localDataDir: './data/test-unused' } : { localDataDir: './data/test-unused' },
  });
  const bus = options.bus ?? new InProcessMessageBus({ deliveryLimit: config.messaging.deliveryLimit, retryDelayMs: 20 });
  const app = await createControlPlaneApp({ config, inMemoryDatabase: !url, scheduler: false, bus, messaging: options.messaging, embeddedWorker: options.embeddedWorker, destinations: options.destinations });
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

/** The simulator's demo tenant as the partner's ConnectWise, and manual settings exporting `data`: the wizard's first two steps. */
export async function connectPartnerToSimulator(
  app: INestApplication,
  partnerId: string,
  token: string,
  simBaseUrl: string,
  settings: { data: Record<string, boolean>; connectwiseDefaults: Record<string, number> },
): Promise<void> {
  const http = () => request(app.getHttpServer());
  await http()
    .put(`/partners/${partnerId}/integration/credentials`)
    .auth(token, { type: 'bearer' })
    .send({ site: simBaseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' })
    .expect(200);
  await http()
    .put(`/partners/${partnerId}/integration/settings`)
    .auth(token, { type: 'bearer' })
    .send({ exportMode: 'manual', timeZone: 'UTC', disappearedSku: 'zero', ...settings })
    .expect(200);
}

/**
 * A run as `GET /partners/{id}/runs/{runId}` answers it: the type openapi-typescript generates from
 * openapi/control-plane.json (a declaration file: importing it pulls in none of the console's code).
 */
export type RunBody = components['schemas']['RunResponseDto'];

/**
 * Local mode end to end, as the review, budget and export-behaviour e2e tests use it: the ConnectWise simulator, a
 * generated partner in a platform folder, the control plane on PGlite with the embedded worker, the partner connected
 * to the simulator (the wizard's first two steps) and its accounts read from the platform.
 */
export interface LocalExportStack {
  sim: RunningSimulator;
  cp: TestControlPlane;
  dataDir: string;
  partnerId: string;
  token: string;
  http(): ReturnType<typeof request>;
  /** The request with the partner's bearer token. */
  as(req: request.Test): request.Test;
  /** Changes every account's subscriptions in the platform's folder (what the next run reads). */
  editSubscriptions(edit: (subscriptions: { sku: string; quantity: number }[]) => void): Promise<void>;
  /** Maps every account to a company and an agreement created in ConnectWise (step 3 of the wizard). */
  mapEveryAccount(company: { identifierPrefix: string; city: string }): Promise<void>;
  startRun(): Promise<RunBody>;
  /** Polls the run until it is no longer queued or running. */
  waitForRun(runId: string, timeoutMs?: number): Promise<RunBody>;
  /** Starts a run and waits for it. */
  exportNow(): Promise<RunBody>;
  close(): Promise<void>;
}

export async function startLocalExportStack(options: {
  partnerId: string;
  partner: Omit<GeneratePartnerOptions, 'partnerId'>;
  simulator?: SimulatorOptions;
  /** Merged over the test ConnectWise client settings (clientId, timeouts, retries); the simulator's origin is allowed. */
  connectwise?: Partial<ControlPlaneConfig['connectwise']>;
  config?: Partial<ControlPlaneConfig>;
  deliveryLimit?: number;
  data: Record<string, boolean>;
}): Promise<LocalExportStack> {
  const sim = await startSimulator(options.simulator ?? {});
  const dataDir = await mkdtemp(join(tmpdir(), `cwx-${options.partnerId}-`));
  let cp: TestControlPlane | undefined;
  try {
    await writePartnerToFolder(generatePartner({ partnerId: options.partnerId, ...options.partner }), dataDir);
    const base = testControlPlaneConfig().connectwise;
    cp = await startTestControlPlane({
      bus: new InProcessMessageBus({ deliveryLimit: options.deliveryLimit ?? 2, retryDelayMs: 10 }),
      embeddedWorker: true,
      config: {
        connectwise: { ...base, requestTimeoutMs: 3000, maxRetries: 1, retryMaxDelayMs: 50, ...options.connectwise, extraAllowedOrigins: [sim.baseUrl] },
        platform: { kind: 'folder', dataDir },
        ...options.config,
      },
    });
    const app = cp.app;
    const partnerId = options.partnerId;
    const token = await partnerToken(partnerId);
    const http = () => request(app.getHttpServer());
    const as = (req: request.Test) => req.auth(token, { type: 'bearer' });
    await connectPartnerToSimulator(app, partnerId, token, sim.baseUrl, {
      data: options.data,
      connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, agreementTypeId: 2, billingCycleId: 2 },
    });
    await as(http().get(`/partners/${partnerId}/accounts`)).expect(200);
    const waitForRun = async (runId: string, timeoutMs = 60_000): Promise<RunBody> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = (await as(http().get(`/partners/${partnerId}/runs/${runId}`)).expect(200)).body as RunBody;
        if (!['queued', 'running'].includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`run did not finish: ${JSON.stringify(run)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const startRun = async () => (await as(http().post(`/partners/${partnerId}/runs`)).expect(201)).body as RunBody;
    const started = cp;
    return {
      sim,
      cp: started,
      dataDir,
      partnerId,
      token,
      http,
      as,
      async editSubscriptions(edit) {
        const dir = join(dataDir, partnerId, 'accounts');
        for (const file of await readdir(dir)) {
          const content = JSON.parse(await readFile(join(dir, file), 'utf8')) as { subscriptions: { sku: string; quantity: number }[] };
          edit(content.subscriptions);
          await writeFile(join(dir, file), JSON.stringify(content));
        }
      },
      async mapEveryAccount({ identifierPrefix, city }) {
        const list = await as(http().get(`/partners/${partnerId}/accounts`)).expect(200);
        for (const a of list.body.items as { accountId: string; accountName: string; version: number }[]) {
          await as(http().put(`/partners/${partnerId}/accounts/${a.accountId}/mapping`))
            .send({ version: a.version, createCompany: { name: a.accountName.slice(0, 50), identifier: `${identifierPrefix}${a.accountId.replace(/\W/g, '')}`, city }, createAgreement: {} })
            .expect(200);
        }
      },
      startRun,
      waitForRun,
      exportNow: async () => waitForRun((await startRun()).id),
      async close() {
        await started.close();
        await sim.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await cp?.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
