/**
 * One benchmark fleet: P simulators (one ConnectWise tenant each, rate-limited), a control plane in this
 * process on a fresh PostgreSQL database and RabbitMQ queues of its own, W export worker processes, and
 * P generated partners mapped account by account to agreements seeded in their simulator.
 */
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import { connect as amqpConnect } from 'amqplib';
import { AmqpMessageBus, topologyFor } from '@cwx/messaging';
import { accountMappings, openDatabase } from '@cwx/persistence';
import { generatePartner, writePartnerToFolder, type GeneratedPartner } from '@cwx/platform-testing';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';
import { demoSeed, type SimSeed } from '../../apps/connectwise-sim/src/testing';
import { partnerToken, testControlPlaneConfig } from '../../test/support/control-plane';
import { createTestDatabase } from '../../test/support/postgres';
import { type AccountTarget, BENCH_BILLING } from './minimum';
import { type Child, freePort, REPO, spawnEntry, stopChild, waitForOutput } from './processes';

export const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const FIRST_ID = 1000;

export interface FleetOptions {
  accounts: number;
  skusPerAccount: number;
  usersMax: number;
  workers: number;
  rate: number;
  budget: number;
  partners: number;
  prefetch: number;
  seed: number;
  /** A review policy preset saved for every partner (`recommended`, `everything-waits`…); none: nothing waits. */
  reviewPolicy?: string;
  /** Saves `BENCH_BILLING` (product mapping, bundles, price rules) for every partner before the first run. */
  billing?: boolean;
}

export interface BenchPartner {
  id: string;
  generated: GeneratedPartner;
  sim: Child;
  simUrl: string;
  token: string;
  targets: AccountTarget[];
}

export interface Fleet {
  dataDir: string;
  partners: BenchPartner[];
  workers: Child[];
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** The demo tenant plus one company and one agreement per account (ids FIRST_ID + i). */
function simSeedFor(partner: GeneratedPartner): SimSeed {
  const companies = partner.accounts.map((a, i) => ({
    id: FIRST_ID + i,
    identifier: `Acct${FIRST_ID + i}`,
    name: a.account.name.replace(/\p{Cc}/gu, ' ').slice(0, 50).trim() || `Account ${i}`,
    addressLine1: '1 Main Street',
    city: 'Springfield',
    state: 'NY',
    zip: '10001',
    types: [{ id: 1 }],
  }));
  const agreements = partner.accounts.map((_, i) => ({
    id: FIRST_ID + i,
    name: `Cloud services ${FIRST_ID + i}`,
    type: { id: 2 },
    company: { id: FIRST_ID + i },
    contact: { id: FIRST_ID + i },
    startDate: '2025-01-01T00:00:00Z',
  }));
  const contacts = partner.accounts.map((_, i) => ({ id: FIRST_ID + i, firstName: 'Billing', lastName: `Contact ${i}`, company: { id: FIRST_ID + i } }));
  const records = demoSeed.records;
  return {
    ...demoSeed,
    records: {
      ...records,
      'company/companies': [...(records['company/companies'] ?? []), ...companies],
      'company/contacts': [...(records['company/contacts'] ?? []), ...contacts],
      'finance/agreements': [...(records['finance/agreements'] ?? []), ...agreements],
    },
  };
}

export async function simJson<T>(simUrl: string, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${simUrl}${path}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

async function api(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export { api };

/** The benchmark's queues go when it ends (quorum queues hold resources on the shared broker). */
async function deleteQueues(prefix: string): Promise<void> {
  const connection = await amqpConnect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    for (const { name } of topologyFor({ queuePrefix: prefix })) await channel.deleteQueue(name);
    await channel.close();
  } finally {
    await connection.close();
  }
}

/** A worker whose output goes to a file (pino at info logs one line per account; a pipe would cost this process CPU). */
function spawnWorkerToFile(env: Record<string, string>, logFile: string): Child {
  const fd = openSync(logFile, 'a');
  // e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the workers
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(REPO, 'dist/apps/export-worker/src/main.js')], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', WORKER_HTTP_PORT: '0', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  if (child.pid === undefined) throw new Error('worker did not start');
  const output = () => {
    try {
      const text = readFileSync(logFile, 'utf8');
      return text.length > 100_000 ? text.slice(-100_000) : text;
    } catch {
      return '';
    }
  };
  return { name: `worker ${child.pid}`, child, pid: child.pid, output, exited };
}

export async function startFleet(options: FleetOptions, log: (line: string) => void): Promise<Fleet> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cwx-bench-'));
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const partners: BenchPartner[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => log(`cleanup: ${String(e)}`));
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    log(`generating ${options.partners} partner(s) × ${options.accounts} accounts × ${options.skusPerAccount} SKUs`);
    const sims: { generated: GeneratedPartner; sim: Child; simUrl: string }[] = [];
    for (let p = 1; p <= options.partners; p++) {
      const generated = generatePartner({
        partnerId: `bench-p${p}`,
        seed: options.seed * 100 + p,
        accounts: options.accounts,
        skusPerAccount: options.skusPerAccount,
        usersPerAccount: { min: 1, max: options.usersMax },
      });
      await writePartnerToFolder(generated, dataDir);
      const seedFile = join(dataDir, `sim-seed-p${p}.json`);
      await writeFile(seedFile, JSON.stringify(simSeedFor(generated)));
      const port = await freePort();
      const sim = spawnEntry(`sim p${p}`, 'apps/connectwise-sim/src/main.js', {
        CW_SIM_HOST: '127.0.0.1',
        CW_SIM_PORT: String(port),
        CW_SIM_SEED_FILE: seedFile,
        CW_SIM_RATE_LIMIT_PER_MINUTE: String(options.rate),
        LOG_LEVEL: 'warn',
      });
      cleanups.push(() => stopChild(sim));
      await waitForOutput(sim, 'listening on', 120_000);
      sims.push({ generated, sim, simUrl: `http://127.0.0.1:${port}` });
    }

    const pg = await createTestDatabase('cwx_bench');
    cleanups.push(() => pg.drop());
    const key = randomBytes(32);
    const bus = await AmqpMessageBus.connect({
      url: AMQP_URL,
      queuePrefix: prefix,
      deliveryLimit: 3,
      connectionName: 'bench-control-plane',
      logger: { info: () => undefined, warn: (_, m) => log(`bus: ${m}`), error: (_, m) => log(`bus error: ${m}`) },
    });
    cleanups.push(() => deleteQueues(prefix)); // runs after bus.close (clean-ups run in reverse)
    cleanups.push(() => bus.close());
    const origins = sims.map((s) => s.simUrl);
    const config = testControlPlaneConfig({
      database: { url: pg.url, localDataDir: './data/bench-unused' },
      encryption: { keys: new Map([['k1', key]]), activeKeyId: 'k1' },
      connectwise: { clientId: 'cwx-bench', extraAllowedOrigins: origins, requestTimeoutMs: 30_000, maxRetries: 5, retryMaxDelayMs: 10_000 },
      platform: { kind: 'folder', dataDir },
      messaging: { prefetch: options.prefetch, deliveryLimit: 3, budgetPerMinute: options.budget },
    });
    const app = await createControlPlaneApp({ config, inMemoryDatabase: false, scheduler: false, bus });
    await app.listen(0, '127.0.0.1');
    cleanups.push(() => app.close());
    const address = (app.getHttpServer() as { address(): { port: number } }).address();
    const baseUrl = `http://127.0.0.1:${address.port}`;

    const workerEnv: Record<string, string> = {
      DATABASE_URL: pg.url,
      AMQP_URL,
      AMQP_QUEUE_PREFIX: prefix,
      AMQP_DELIVERY_LIMIT: '3',
      AMQP_PREFETCH: String(options.prefetch),
      REDIS_URL,
      CW_BUDGET_KEY_PREFIX: `${prefix}:`,
      CW_BUDGET_PER_MINUTE: String(options.budget),
      CREDENTIALS_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
      CW_EXTRA_ALLOWED_ORIGINS: origins.join(','),
      OUTBOUND_ALLOW_PRIVATE: 'true', // the simulator listens on loopback
      CW_CLIENT_ID: 'cwx-bench',
      PLATFORM_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };
    const workers: Child[] = [];
    for (let w = 0; w < options.workers; w++) {
      const worker = spawnWorkerToFile(workerEnv, join(dataDir, `worker-${w}.log`));
      workers.push(worker);
      cleanups.push(() => stopChild(worker));
    }
    await Promise.all(workers.map((w) => waitForOutput(w, 'export worker consuming', 60_000)));

    const database = openDatabase({ driver: 'postgres', url: pg.url, poolSize: 2 });
    try {
      for (const [index, { generated, sim, simUrl }] of sims.entries()) {
        const id = generated.partner.id;
        const token = await partnerToken(id, { expiresIn: '24h' });
        await api(baseUrl, token, 'PUT', `/partners/${id}/integration/credentials`, {
          site: simUrl,
          companyId: 'demo',
          publicKey: 'demo-public',
          privateKey: 'demo-private',
        });
        await api(baseUrl, token, 'PUT', `/partners/${id}/integration/settings`, {
          exportMode: 'manual',
          timeZone: 'UTC',
          data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
          disappearedSku: 'zero',
          missingRetailPrice: 'fail-line',
          suspendedAccounts: 'zero',
          cancelledAccounts: 'zero',
          connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, unitOfMeasureId: 1, agreementTypeId: 2, billingCycleId: 2 },
        });
        if (options.reviewPolicy) await api(baseUrl, token, 'PUT', `/partners/${id}/review/policy`, { preset: options.reviewPolicy });
        if (options.billing) await api(baseUrl, token, 'PUT', `/partners/${id}/billing/products`, BENCH_BILLING);
        const targets = generated.accounts.map((a, i) => ({ accountId: a.account.id, accountName: a.account.name, agreementId: FIRST_ID + i, status: a.account.status }));
        for (let i = 0; i < targets.length; i += 1000) {
          await database.db.insert(accountMappings).values(
            targets.slice(i, i + 1000).map((t) => ({
              partnerId: id,
              accountId: t.accountId,
              accountName: t.accountName,
              platformStatus: t.status,
              state: 'mapped' as const,
              companyId: t.agreementId,
              companyName: `Company ${t.agreementId}`,
              agreementId: t.agreementId,
              agreementName: `Cloud services ${t.agreementId}`,
              exportEnabled: true,
            })),
          );
        }
        partners.push({ id, generated, sim, simUrl, token, targets });
        log(`partner ${index + 1}: ${id} → ${simUrl}, ${targets.length} accounts mapped`);
      }
    } finally {
      await database.close();
    }
    return { dataDir, partners, workers, app, baseUrl, close };
  } catch (error) {
    await close();
    throw error;
  }
}
