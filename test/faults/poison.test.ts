import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { ExportJobHandlers, ExportWorkerModule, JobContextLoader, InMemoryJobLock } from '@cwx/jobs';
import { AmqpMessageBus, BusTransport, consumerPrefetch, type Delivery, type HandlerOutcome } from '@cwx/messaging';
import { CredentialsCipher, openDatabase, type DatabaseHandle } from '@cwx/persistence';
import { InMemoryRequestBudget } from '@cwx/throttle';
import { stopWorker } from '../support/workers';
import { isClean, summarise } from './checker';
import { Fleet } from './fleet';
import { DestinationPolicy } from '@cwx/outbound';

const ACCOUNTS = 8;
const DELIVERY_LIMIT = 3;

/**
 * A poison message: a worker whose account handler throws an unexpected error for one account, every
 * time. The job must be dead-lettered after the delivery limit, shown as a failed account of its run (the
 * control plane's dead-letter consumer), and the queue must not be blocked: every other account completes.
 * The worker is built in-process from the same worker module and bus transport as the worker process, with
 * one account's handling replaced by a throw.
 */
describe('faults: a poison message', () => {
  let fleet: Fleet;
  let database: DatabaseHandle;
  let bus: AmqpMessageBus;
  let worker: INestMicroservice;
  const deliveries: number[] = [];

  beforeAll(async () => {
    fleet = await Fleet.start({
      partnerId: 'poison-msp',
      partner: { seed: 41, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 3 }, usersPerAccount: { min: 0, max: 2 } },
      deliveryLimit: DELIVERY_LIMIT,
      workers: 0,
    });
    const [keyId, key] = fleet.workerEnv.CREDENTIALS_ENCRYPTION_KEYS.split(':');
    database = openDatabase({ driver: 'postgres', url: fleet.pg.url, poolSize: 6 });
    bus = await AmqpMessageBus.connect({ url: fleet.vhost.url, queuePrefix: fleet.prefix, deliveryLimit: DELIVERY_LIMIT, connectionName: `${fleet.prefix}-poison-worker` });
    const budget = new InMemoryRequestBudget({ requestsPerMinute: 60_000 });
    const loader = new JobContextLoader(
      database.db,
      new CredentialsCipher(new Map([[keyId, Buffer.from(key, 'base64')]]), keyId),
      { clientId: 'poison-test', extraAllowedOrigins: [fleet.sim.baseUrl], destinations: new DestinationPolicy({ allowPrivate: true }), requestTimeoutMs: 3000, maxRetries: 1, retryMaxDelayMs: 100 },
      budget,
    );
    const handlers = new (class extends ExportJobHandlers {
      override async handleAccount(delivery: Delivery<'account.requested'>): Promise<HandlerOutcome> {
        if (delivery.payload.accountId === 'acc-000003') {
          deliveries.push(delivery.deliveryCount);
          throw new TypeError("Cannot read properties of undefined (reading 'sku')");
        }
        return super.handleAccount(delivery);
      }
    })({ db: database.db, bus, platform: fleet.platform(), loader, lock: new InMemoryJobLock(), deliveryLimit: DELIVERY_LIMIT, budget });
    worker = await NestFactory.createMicroservice<MicroserviceOptions>(ExportWorkerModule.forRootAsync({ useFactory: () => handlers }), {
      strategy: new BusTransport({ bus, prefetch: consumerPrefetch(4) }),
      logger: false,
    });
    await worker.listen();
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await bus?.close();
    await database?.close();
    await Promise.all(fleet?.workers.map((w) => stopWorker(w)) ?? []);
    await fleet?.close();
  }, 60_000);

  it('is dead-lettered after the delivery limit and shown as a failed account; the other accounts complete', async () => {
    const run = await fleet.runExport(60_000);
    const rows = await fleet.logRows(run.id);
    const poisoned = rows.find((r) => r.accountId === 'acc-000003');
    const report = await fleet.check([run.id]);
    console.log(`[faults] poison: ${deliveries.length} deliveries of the poison job, run ${run.status} ${run.done}/${run.total} failed ${run.failed}; ${summarise(report)}`);
    expect(run).toMatchObject({ status: 'partially_failed', done: ACCOUNTS, failed: 1 });
    expect(deliveries).toEqual(Array.from({ length: DELIVERY_LIMIT + 1 }, (_, i) => i + 1));
    expect(poisoned).toMatchObject({ status: 'failed', error: { kind: 'dead_letter' } });
    expect(poisoned?.error?.message).toMatch(/Gave up after \d+ deliveries \(delivery_limit/);
    expect(rows.filter((r) => r.status !== 'failed')).toHaveLength(ACCOUNTS - 1);
    expect(isClean(report)).toBe(true);
  }, 90_000);
});
