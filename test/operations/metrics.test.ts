import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { productVersion, startProcessMetrics } from '@cwx/observability';
import { generatePartner, writePartnerToFolder } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { connectPartnerToSimulator, partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';
import { createTestDatabase } from '../support/postgres';
import { createTestVhost, type TestVhost } from '../support/rabbitmq';
import { spawnWorker, stopWorker, waitUntilConsuming, type WorkerProcess } from '../support/workers';

const ROOT = resolve(__dirname, '../..');
const PARTNER = 'metrics-msp';
const ACCOUNTS = 4;

/** Metric names in PromQL expressions: ours (cwx_*) and the process collector's (process_*, nodejs_*). */
function metricNames(expressions: string[]): Set<string> {
  const names = new Set<string>();
  for (const expr of expressions) for (const m of expr.matchAll(/\b(?:cwx|process|nodejs)_[a-z0-9_]+\b/g)) names.add(m[0]);
  return names;
}

async function dashboardAndAlertNames(): Promise<{ dashboard: Set<string>; alerts: Set<string> }> {
  const dashboard = JSON.parse(await readFile(join(ROOT, 'deploy/grafana/cwx-dashboard.json'), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
  const rules = parse(await readFile(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  return {
    dashboard: metricNames(dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))),
    alerts: metricNames(rules.groups.flatMap((g) => g.rules.map((r) => r.expr))),
  };
}

/** `# TYPE name kind` lines of an exposition: every exported metric, observed or not. */
function exportedTypes(exposition: string): Map<string, string> {
  return new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
}

/** A dashboard name is exported when it is a metric, or a histogram's _bucket/_sum/_count series. */
function missingFrom(exposition: string, names: Iterable<string>): string[] {
  const types = exportedTypes(exposition);
  return [...names].filter((name) => {
    if (types.has(name)) return false;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    return types.get(base) !== 'histogram' && types.get(base) !== 'summary';
  });
}

/** The value of one sample, `name{labels}` with labels in any order; undefined when absent. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    const m = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('Prometheus metrics', () => {
  it('the dashboard and the alert rules name metrics at all (the parser finds them)', async () => {
    const { dashboard, alerts } = await dashboardAndAlertNames();
    expect(dashboard.size).toBeGreaterThan(15);
    expect([...alerts].sort()).toEqual(
      ['cwx_credentials_rejected_total', 'cwx_dead_letters_total', 'cwx_outbox_oldest_age_seconds', 'cwx_runs_finished_total'].sort(),
    );
  });

  describe('control plane (local mode: embedded worker, one process)', () => {
    let sim: RunningSimulator;
    let cp: TestControlPlane;
    let dataDir: string;

    beforeAll(async () => {
      sim = await startSimulator();
      dataDir = await mkdtemp(join(tmpdir(), 'cwx-metrics-'));
      await writePartnerToFolder(generatePartner({ partnerId: PARTNER, seed: 3, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 3 }, usersPerAccount: 0 }), dataDir);
      cp = await startTestControlPlane({
        embeddedWorker: true,
        config: {
          connectwise: { clientId: 'metrics-test', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 5000, maxRetries: 2, retryMaxDelayMs: 200 },
          platform: { kind: 'folder', dataDir },
        },
      });
      startProcessMetrics('local', productVersion()); // as main.ts does
    }, 60_000);

    afterAll(async () => {
      await cp?.close();
      await sim?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('after an export, /metrics says what happened: calls, jobs, the run, its accounts, an empty outbox', async () => {
      const token = await partnerToken(PARTNER);
      const http = () => request(cp.app.getHttpServer());
      const as = (req: request.Test) => req.auth(token, { type: 'bearer' });
      await connectPartnerToSimulator(cp.app, PARTNER, token, sim.baseUrl, {
        data: { products: true, quantity: true, cost: false, retailPrice: false, usersList: false },
        connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, unitOfMeasureId: 1, agreementTypeId: 2, billingCycleId: 2 },
      });
      const list = await as(http().get(`/partners/${PARTNER}/accounts`)).expect(200);
      for (const a of list.body.items as { accountId: string; accountName: string; version: number }[]) {
        await as(http().put(`/partners/${PARTNER}/accounts/${a.accountId}/mapping`))
          .send({ version: a.version, createCompany: { name: a.accountName.slice(0, 50), identifier: `M${a.accountId.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 25), city: 'Springfield' }, createAgreement: {} })
          .expect(200);
      }
      const started = await as(http().post(`/partners/${PARTNER}/runs`)).expect(201);
      let run: { status: string } = { status: 'queued' };
      for (let i = 0; i < 200 && ['queued', 'running'].includes(run.status); i++) {
        await new Promise((r) => setTimeout(r, 100));
        run = (await as(http().get(`/partners/${PARTNER}/runs/${started.body.id}`)).expect(200)).body as { status: string };
      }
      expect(run.status).toBe('succeeded');

      const scraped = await http().get('/metrics').expect(200);
      expect(scraped.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const text = scraped.text;
      expect(sample(text, 'cwx_runs_finished_total', { trigger: 'manual', status: 'succeeded' })).toBe(1);
      expect(sample(text, 'cwx_run_duration_seconds_count', { trigger: 'manual' })).toBe(1);
      expect(sample(text, 'cwx_run_accounts_total', { status: 'changed' })).toBe(ACCOUNTS);
      expect(sample(text, 'cwx_jobs_total', { queue: 'cwx.export.account', outcome: 'acked' })).toBe(ACCOUNTS);
      expect(sample(text, 'cwx_jobs_total', { queue: 'cwx.export.catalog', outcome: 'acked' })).toBe(1);
      expect(sample(text, 'cwx_jobs_total', { queue: 'cwx.export.results', outcome: 'acked' })).toBe(ACCOUNTS + 1);
      expect(sample(text, 'cwx_connectwise_requests_total', { method: 'POST', outcome: 'ok', status: '201' })).toBeGreaterThanOrEqual(ACCOUNTS);
      const simPosts = sim.requests().filter((r) => r.method === 'POST' && r.status === 201).length;
      expect(sample(text, 'cwx_connectwise_requests_total', { method: 'POST', outcome: 'ok', status: '201' })).toBe(simPosts);
      expect(sample(text, 'cwx_connectwise_budget_wait_seconds_count')).toBeGreaterThan(0);
      expect(sample(text, 'cwx_outbox_pending', { state: 'ready' })).toBe(0);
      expect(sample(text, 'cwx_outbox_oldest_age_seconds')).toBe(0);
      expect(sample(text, 'cwx_runs_active', { status: 'running' })).toBe(0);
      expect(sample(text, 'cwx_build_info', { version: productVersion(), role: 'local' })).toBe(1);
      expect(text).not.toContain(PARTNER); // no partner ids in labels

      const { dashboard, alerts } = await dashboardAndAlertNames();
      expect(missingFrom(text, [...dashboard, ...alerts])).toEqual([]);
    }, 60_000);
  });

  describe('export worker (a real process)', () => {
    let worker: WorkerProcess | undefined;
    let pg: { url: string; drop(): Promise<void> };
    let vhost: TestVhost;

    afterAll(async () => {
      if (worker) await stopWorker(worker);
      await pg?.drop();
      await vhost?.drop();
    });

    it('serves /metrics and a readiness that covers the database, the broker and Redis on its health port', async () => {
      pg = await createTestDatabase();
      vhost = await createTestVhost('cwx-test-metrics');
      const port = await freePort();
      const prefix = `test-${randomBytes(4).toString('hex')}`;
      worker = spawnWorker({
        DATABASE_URL: pg.url,
        AMQP_URL: vhost.url,
        AMQP_QUEUE_PREFIX: prefix,
        REDIS_URL: 'redis://127.0.0.1:6379',
        CW_BUDGET_KEY_PREFIX: `${prefix}:`,
        CREDENTIALS_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        WORKER_HTTP_PORT: String(port),
      });
      await waitUntilConsuming(worker);
      const base = `http://127.0.0.1:${port}`;
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', database: 'up', broker: 'up', redis: 'up' });
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(sample(text, 'cwx_build_info', { version: productVersion(), role: 'worker' })).toBe(1);
      const { dashboard, alerts } = await dashboardAndAlertNames();
      // The worker's share: ConnectWise calls, the budget, jobs; and the process metrics the dashboard plots.
      const workerNames = [...dashboard, ...alerts].filter((n) => /^cwx_(connectwise|job)|^process_|^nodejs_/.test(n));
      expect(workerNames.length).toBeGreaterThan(8);
      expect(missingFrom(text, workerNames)).toEqual([]);
      expect((await fetch(`${base}/nothing`)).status).toBe(404);
    }, 60_000);
  });
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
