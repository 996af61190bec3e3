import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AmqpMessageBus } from '@cwx/messaging';
import type { StructuredLogger } from '@cwx/observability';
import { FolderPlatformSource } from '@cwx/platform';
import { generatePartner, writePartnerToFolder, type GeneratedPartner, type GeneratePartnerOptions } from '@cwx/platform-testing';
import { startSimulator, type RecordedRequest, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';
import { createTestDatabase } from '../support/postgres';
import { createTestVhost, type TestVhost } from '../support/rabbitmq';
import { spawnWorker, stopWorker, waitUntilConsuming, type WorkerProcess } from '../support/workers';
import { checkExport, type CheckReport } from './checker';
import { faultSeed } from './prng';

export interface RunView {
  id: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  reason: string | null;
}

export interface LogRow {
  accountId: string;
  accountName: string;
  status: string;
  error?: { kind: string; code?: string; message: string } | null;
  attempts?: number;
}

export interface FleetOptions {
  partnerId: string;
  partner: Omit<GeneratePartnerOptions, 'partnerId'>;
  /** Worker processes started at once (default 2). */
  workers?: number;
  deliveryLimit?: number;
  /** Extra variables for the worker processes. */
  workerEnv?: Record<string, string>;
  /** The ConnectWise client settings of the control plane and the workers. */
  connectwise?: { maxRetries?: number; retryMaxDelayMs?: number; requestTimeoutMs?: number };
  settings?: { cost?: boolean; retailPrice?: boolean; usersList?: boolean };
  /** Changes the generated partner before it is written (e.g. hostile names). */
  preparePartner?: (partner: GeneratedPartner) => void;
  /** Seeds the simulator's random faults (rates); CWX_FAULT_SEED overrides it to replay another schedule. Default 1. */
  faultSeed?: number;
  /** Receives the control plane bus's warnings and errors (default: dropped). */
  busLog?: (level: 'warn' | 'error', message: string, context?: Record<string, unknown>) => void;
}

/**
 * A whole fleet for one fault suite: the simulator in-process, a fresh PostgreSQL database, a RabbitMQ
 * vhost of its own (so the suite may cut its own connections), the control plane in-process on that
 * vhost, worker processes from `dist/`, and a generated partner whose accounts are all mapped to new
 * companies and agreements.
 */
export class Fleet {
  sim!: RunningSimulator;
  cp!: TestControlPlane;
  vhost!: TestVhost;
  pg!: { url: string; drop(): Promise<void> };
  dataDir!: string;
  partner!: GeneratedPartner;
  token!: string;
  workers: WorkerProcess[] = [];
  /** Every worker ever started, killed ones included: their output is searched for secrets. */
  readonly allWorkers: WorkerProcess[] = [];
  workerEnv!: Record<string, string>;
  /** Worker processes by the ConnectWise clientId they send. */
  readonly byClientId = new Map<string, WorkerProcess>();
  readonly platform: () => FolderPlatformSource;
  readonly prefix = `fault-${randomBytes(4).toString('hex')}`;
  readonly settings: { cost: boolean; retailPrice: boolean; usersList: boolean };
  /** The control plane's bus, closed by close() even when the control plane never started. */
  private bus?: AmqpMessageBus;

  private constructor(readonly options: FleetOptions) {
    this.platform = () => new FolderPlatformSource(this.dataDir);
    this.settings = { cost: true, retailPrice: true, usersList: true, ...options.settings };
  }

  get partnerId(): string {
    return this.options.partnerId;
  }

  static async start(options: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(options);
    try {
      await fleet.boot();
    } catch (error) {
      await fleet.close();
      throw error;
    }
    return fleet;
  }

  http() {
    return request(this.cp.app.getHttpServer());
  }

  as(req: request.Test): request.Test {
    return req.auth(this.token, { type: 'bearer' });
  }

  private async boot(): Promise<void> {
    const { options } = this;
    const deliveryLimit = options.deliveryLimit ?? 3;
    const cw = { maxRetries: 2, retryMaxDelayMs: 300, requestTimeoutMs: 3000, ...options.connectwise };
    // Each resource is kept as soon as it exists and all are awaited, so that when one fails close() still
    // finds and stops the others: a simulator left listening would keep Jest from exiting.
    const started = await Promise.allSettled([
      startSimulator({ faultSeed: faultSeed(options.faultSeed ?? 1) }).then((sim) => (this.sim = sim)),
      createTestDatabase('cwx_fault').then((pg) => (this.pg = pg)),
      createTestVhost('cwx-fault').then((vhost) => (this.vhost = vhost)),
      mkdtemp(join(tmpdir(), 'cwx-fault-')).then((dir) => (this.dataDir = dir)),
    ]);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    this.partner = generatePartner({ partnerId: options.partnerId, ...options.partner });
    options.preparePartner?.(this.partner);
    await writePartnerToFolder(this.partner, this.dataDir);
    const key = randomBytes(32);
    const log = options.busLog;
    const logger: StructuredLogger = {
      info: () => undefined,
      warn: (c, m) => log?.('warn', m, c),
      error: (c, m) => log?.('error', m, c),
    };
    const bus = (this.bus = await AmqpMessageBus.connect({
      url: this.vhost.url,
      queuePrefix: this.prefix,
      deliveryLimit,
      connectionName: `${this.prefix}-cp`,
      publishTimeoutMs: 30_000,
      reconnect: { initialDelayMs: 50, maxDelayMs: 1000 },
      logger,
    }));
    this.cp = await startTestControlPlane({
      database: { url: this.pg.url },
      bus,
      config: {
        encryption: { keys: new Map([['k1', key]]), activeKeyId: 'k1' },
        connectwise: { clientId: 'fault-test', extraAllowedOrigins: [this.sim.baseUrl], ...cw },
        platform: { kind: 'folder', dataDir: this.dataDir },
        messaging: { prefetch: 4, deliveryLimit, budgetPerMinute: 60_000, runWindow: 8 },
      },
    });
    this.workerEnv = {
      DATABASE_URL: this.pg.url,
      AMQP_URL: this.vhost.url,
      AMQP_QUEUE_PREFIX: this.prefix,
      AMQP_DELIVERY_LIMIT: String(deliveryLimit),
      AMQP_PREFETCH: '4',
      REDIS_URL: 'redis://127.0.0.1:6379',
      CW_BUDGET_KEY_PREFIX: `${this.prefix}:`,
      CW_BUDGET_PER_MINUTE: '60000',
      CREDENTIALS_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
      CW_EXTRA_ALLOWED_ORIGINS: this.sim.baseUrl,
      OUTBOUND_ALLOW_PRIVATE: 'true', // the simulator listens on loopback
      CW_CLIENT_ID: 'fault-test',
      CW_MAX_RETRIES: String(cw.maxRetries),
      CW_RETRY_MAX_DELAY_MS: String(cw.retryMaxDelayMs),
      CW_REQUEST_TIMEOUT_MS: String(cw.requestTimeoutMs),
      PLATFORM_DATA_DIR: this.dataDir,
      ...options.workerEnv,
    };
    await this.ensureWorkers(options.workers ?? 2);

    this.token = await partnerToken(options.partnerId);
    await this.as(this.http().put(`/partners/${options.partnerId}/integration/credentials`))
      .send({ site: this.sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' })
      .expect(200);
    await this.as(this.http().put(`/partners/${options.partnerId}/integration/settings`))
      .send({
        exportMode: 'manual',
        timeZone: 'UTC',
        data: { products: true, quantity: true, ...this.settings },
        disappearedSku: 'zero',
        connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, unitOfMeasureId: 1, agreementTypeId: 2, billingCycleId: 2 },
      })
      .expect(200);
    const list = await this.as(this.http().get(`/partners/${options.partnerId}/accounts`)).query({ pageSize: 500 }).expect(200);
    for (const account of list.body.items as { accountId: string; accountName: string; version: number }[]) {
      const name = account.accountName.replace(/^[=+\-@\t\r]+/, '').trim().slice(0, 50) || account.accountId;
      await this.as(this.http().put(`/partners/${options.partnerId}/accounts/${account.accountId}/mapping`))
        .send({
          version: account.version,
          createCompany: { name, identifier: `F${account.accountId.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 25), city: 'Springfield' },
          createAgreement: {},
        })
        .expect(200);
    }
  }

  /** Starts workers until `count` are alive, and waits until they consume. */
  async ensureWorkers(count: number, wait = true): Promise<void> {
    this.workers = this.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const started: WorkerProcess[] = [];
    while (this.workers.length < count) {
      // Each worker sends its own clientId, so the simulator's log says which process made a request.
      const clientId = `fault-w${this.allWorkers.length + 1}`;
      const worker = spawnWorker({ ...this.workerEnv, CW_CLIENT_ID: clientId });
      this.byClientId.set(clientId, worker);
      this.workers.push(worker);
      this.allWorkers.push(worker);
      started.push(worker);
    }
    if (wait) await Promise.all(started.map((w) => waitUntilConsuming(w, 30_000)));
  }

  /**
   * Runs `start` (which starts a run and returns its id) with 2 workers, SIGKILLs the worker that sent the `nth`
   * request matching `matches` right after the simulator answered it, starts a replacement as soon as the kill
   * happened, and waits for the run. `killed` is false when the run ended before the kill point was reached.
   */
  async runKillingOneWorker(
    kill: { matches: (r: RecordedRequest) => boolean; nth: number },
    start: () => Promise<string>,
    timeoutMs = 60_000,
  ): Promise<{ runId: string; run: RunView; killed: boolean }> {
    await this.ensureWorkers(2);
    let seen = 0;
    let killed = false;
    const stop = this.sim.onRequest((r) => {
      if (killed || !kill.matches(r) || ++seen < kill.nth) return;
      const victim = r.clientId ? this.byClientId.get(r.clientId) : undefined;
      if (!victim) return;
      victim.child.kill('SIGKILL');
      killed = true;
    });
    try {
      const runId = await start();
      const replacing = (async () => {
        while (!killed) {
          const state = await this.getRun(runId);
          if (!['queued', 'running'].includes(state.status)) return;
          await new Promise((r) => setTimeout(r, 50));
        }
        await this.ensureWorkers(2, false);
      })();
      const run = await this.waitForRun(runId, timeoutMs);
      await replacing;
      return { runId, run, killed };
    } finally {
      stop();
    }
  }

  async writePartner(partner: GeneratedPartner): Promise<void> {
    this.partner = partner;
    await writePartnerToFolder(partner, this.dataDir);
  }

  async startRun(): Promise<string> {
    const res = await this.as(this.http().post(`/partners/${this.partnerId}/runs`)).expect(201);
    return res.body.id as string;
  }

  /** The run as the API shows it. A 5xx (the database connection lost a moment ago) is asked again, as a panel would. */
  async getRun(id: string): Promise<RunView> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.as(this.http().get(`/partners/${this.partnerId}/runs/${id}`));
      if (res.status === 200) return res.body as RunView;
      if (res.status < 500 || attempt >= 5) throw new Error(`GET run ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async waitForRun(id: string, timeoutMs = 60_000): Promise<RunView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.getRun(id);
      if (!['queued', 'running'].includes(run.status)) return run;
      if (Date.now() > deadline) {
        throw new Error(`run did not finish: ${JSON.stringify(run)}\n${this.workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async runExport(timeoutMs?: number): Promise<RunView> {
    return this.waitForRun(await this.startRun(), timeoutMs);
  }

  async logRows(runId: string): Promise<LogRow[]> {
    const res = await this.as(this.http().get(`/partners/${this.partnerId}/runs/${runId}/log`)).query({ pageSize: 500 }).expect(200);
    return res.body.items as LogRow[];
  }

  async check(runIds?: string[], skipValuesFor?: ReadonlySet<string>, runAccounts?: ReadonlySet<string>): Promise<CheckReport> {
    return checkExport({
      sim: this.sim,
      databaseUrl: this.pg.url,
      partnerId: this.partnerId,
      platform: this.platform(),
      settings: this.settings,
      ...(runIds ? { runIds } : {}),
      ...(skipValuesFor ? { skipValuesFor } : {}),
      ...(runAccounts ? { runAccounts } : {}),
    });
  }

  /** Tears everything down; a step that hangs is reported and skipped after 10 s, so a suite never hangs here. */
  async close(): Promise<void> {
    const step = async (name: string, action: () => Promise<unknown> | undefined) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), 10_000)));
      const outcome = await Promise.race([Promise.resolve(action()).catch(() => undefined), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') console.warn(`[faults] fleet close: ${name} did not finish in 10 s`);
    };
    await step('workers', () => Promise.all(this.workers.map((w) => stopWorker(w))));
    await step('control plane', () => this.cp?.close());
    await step('control plane bus', () => this.bus?.close());
    await step('simulator', () => this.sim?.close());
    await step('database', () => this.pg?.drop());
    await step('vhost', () => this.vhost?.drop());
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

