import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { connect, type ChannelModel } from 'amqplib';
import {
  AmqpMessageBus,
  MessagingErrorCode,
  QueueName,
  physicalQueueName,
  topologyFor,
  type AmqpMessageBusOptions,
} from '@cwx/messaging';
import type { StructuredLogger } from '@cwx/observability';
import { createTestVhost, rabbitmqctl, TEST_AMQP_URL, type TestVhost } from '../support/rabbitmq';
import { accountJob, recorder, sleep, waitUntil } from './bus-contract';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

// RabbitMQ-only behaviour: the wire format, confirms, crashes and connection losses. A vhost of its own,
// fresh queue names per test; nothing here touches the broker other suites share (no stop_app) unless
// CWX_DISRUPTIVE_TESTS=1.

let vhost: TestVhost;
let raw: ChannelModel;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  vhost = await createTestVhost('cwx-test-amqp');
  raw = await connect(vhost.url);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

afterAll(async () => {
  await raw?.close().catch(() => undefined);
  await vhost?.drop();
});

function recordingLogger(): StructuredLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (_fields: unknown, message: string) => void lines.push(message);
  return { lines, info: log, warn: log, error: log };
}

async function openBus(options: Partial<AmqpMessageBusOptions> = {}): Promise<{ bus: AmqpMessageBus; prefix: string }> {
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const bus = await AmqpMessageBus.connect({ url: vhost.url, queuePrefix: prefix, retryDelayMs: 20, drainTimeoutMs: 300, publishTimeoutMs: 5_000, ...options });
  cleanups.push(() => bus.close());
  return { bus, prefix };
}

describe('AmqpMessageBus on RabbitMQ', () => {
  it('declares durable quorum queues with an explicit delivery limit and dead-lettering', async () => {
    const { bus, prefix } = await openBus();
    await bus.ensureTopology();
    await bus.ensureTopology(); // idempotent

    const listed = JSON.parse(await rabbitmqctl('list_queues', '-p', vhost.name, 'name', 'type', 'durable', 'arguments', '--formatter', 'json')) as {
      name: string;
      type: string;
      durable: boolean;
      arguments: [string, string, unknown][];
    }[];
    const ours = new Map(
      listed
        .filter((q) => q.name.startsWith(`${prefix}.`))
        .map((q) => [q.name, { ...q, arguments: Object.fromEntries(q.arguments.map(([key, , value]) => [key, value])) }]),
    );
    expect([...ours.keys()].sort()).toEqual(topologyFor({ queuePrefix: prefix }).map((q) => q.name).sort());
    expect([...ours.keys()]).toEqual(expect.arrayContaining(Object.values(QueueName).map((q) => `${prefix}.${q}`)));
    expect(ours.get(`${prefix}.cwx.export.account.wait.30s`)?.arguments).toMatchObject({
      'x-message-ttl': 30_000,
      'x-dead-letter-routing-key': `${prefix}.cwx.export.account`,
      'x-dead-letter-strategy': 'at-least-once',
    });
    for (const queue of ours.values()) expect(queue).toMatchObject({ type: 'quorum', durable: true });
    expect(ours.get(`${prefix}.cwx.export.account`)?.arguments).toMatchObject({
      'x-delivery-limit': 5,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': `${prefix}.cwx.export.dead`,
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
    expect(ours.get(`${prefix}.cwx.export.dead`)?.arguments).not.toHaveProperty('x-delivery-limit');
  });

  it('publishes persistent JSON messages with id, type and correlation header', async () => {
    const { bus, prefix } = await openBus();
    await bus.ensureTopology();
    const job = accountJob();
    await bus.publish(QueueName.ExportAccount, job);

    const channel = await raw.createChannel();
    cleanups.push(() => channel.close());
    const message = await channel.get(physicalQueueName(QueueName.ExportAccount, prefix), { noAck: true });
    if (!message) throw new Error('the confirmed message is not in the queue');
    expect(message.properties).toMatchObject({
      deliveryMode: 2,
      contentType: 'application/json',
      messageId: job.messageId,
      type: 'account.requested',
      headers: { 'x-correlation-id': job.correlationId },
    });
    expect(JSON.parse(message.content.toString())).toEqual(job.payload);
  });

  it('rejects a publish the broker refuses (full queue) or cannot route (no queue), instead of resolving', async () => {
    const { bus } = await openBus({ maxLength: 1 });
    await bus.ensureTopology();
    // A quorum queue enforces its length loosely: it takes one message past the bound, then nacks.
    await bus.publish(QueueName.ExportAccount, accountJob('acc-1'));
    await bus.publish(QueueName.ExportAccount, accountJob('acc-2'));
    await expect(bus.publish(QueueName.ExportAccount, accountJob('acc-3'))).rejects.toMatchObject({ code: MessagingErrorCode.PublishRejected });

    const { bus: undeclared } = await openBus();
    await expect(undeclared.publish(QueueName.ExportAccount, accountJob())).rejects.toMatchObject({ code: MessagingErrorCode.Unroutable });
  });

  it('dead-letters malformed JSON and unknown types without calling the handler', async () => {
    const { bus, prefix } = await openBus();
    await bus.ensureTopology();
    const received = recorder();
    await bus.consume(QueueName.ExportAccount, received.handler, { prefetch: 1 });
    const channel = await raw.createConfirmChannel();
    cleanups.push(() => channel.close());
    const queue = physicalQueueName(QueueName.ExportAccount, prefix);
    channel.sendToQueue(queue, Buffer.from('{not json'), { messageId: 'bad-json', type: 'account.requested' });
    channel.sendToQueue(queue, Buffer.from('{}'), { messageId: 'bad-type', type: 'account.exploded' });
    await channel.waitForConfirms();
    const good = accountJob();
    await bus.publish(QueueName.ExportAccount, good);

    await waitUntil('the valid message', () => received.deliveries.length === 1);
    expect(received.deliveries[0].messageId).toBe(good.messageId);
    const dead: unknown[] = [];
    for (;;) {
      const message = await channel.get(physicalQueueName(QueueName.ExportDeadLetters, prefix), { noAck: true });
      if (!message) break;
      dead.push([message.properties.messageId, (message.properties.headers ?? {})['x-first-death-reason']]);
    }
    expect(dead).toEqual([
      ['bad-json', 'rejected'],
      ['bad-type', 'rejected'],
    ]);
  });

  it('redelivers to another consumer the message a worker held when its process was killed', async () => {
    const { bus, prefix } = await openBus();
    await bus.ensureTopology();
    const script = path.join(__dirname, 'fixtures', 'crash-consumer.js');
    const child = spawn(process.execPath, [script, vhost.url, physicalQueueName(QueueName.ExportAccount, prefix)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitUntil('the child consumer', () => output.includes('ready'), 10_000);

    const job = accountJob();
    await bus.publish(QueueName.ExportAccount, job);
    expect(await exited).toBe('SIGKILL');
    expect(output).toContain(`got ${job.messageId}`);

    const survivor = recorder();
    await bus.consume(QueueName.ExportAccount, survivor.handler, { prefetch: 1 });
    await waitUntil('the redelivery', () => survivor.deliveries.length === 1);
    expect(survivor.deliveries[0]).toMatchObject({ messageId: job.messageId, deliveryCount: 2, redelivered: true });
  });

  it('recovers from rabbitmqctl close_all_connections: consumers resume and no message is lost', async () => {
    const logger = recordingLogger();
    const { bus } = await openBus({ logger, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    await bus.ensureTopology();
    const handled = new Set<string>();
    await bus.consume(
      QueueName.ExportAccount,
      async (delivery) => {
        await sleep(30);
        handled.add(delivery.messageId);
        return 'ack';
      },
      { prefetch: 3 },
    );
    const before = Array.from({ length: 5 }, (_, i) => accountJob(`before-${i}`));
    const after = Array.from({ length: 5 }, (_, i) => accountJob(`after-${i}`));
    await Promise.all(before.map((job) => bus.publish(QueueName.ExportAccount, job)));

    await vhost.closeConnections('messaging recovery test');
    await Promise.all(after.map((job) => bus.publish(QueueName.ExportAccount, job)));

    const all = [...before, ...after].map((job) => job.messageId);
    await waitUntil('every message handled', () => all.every((id) => handled.has(id)), 15_000);
    expect(bus.connected).toBe(true);
    expect(logger.lines).toContain('AMQP connection lost; reconnecting');
    expect(logger.lines).toContain('AMQP connection re-established');
  });

  describe('through a proxy that takes the broker away', () => {
    let proxy: TcpProxy;
    beforeEach(async () => {
      const target = new URL(TEST_AMQP_URL);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5672));
      cleanups.push(() => proxy.close());
    });

    function proxiedUrl(): string {
      const url = new URL(vhost.url);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      return url.toString();
    }

    it('holds publishes during an outage and delivers them once the broker is back', async () => {
      const { bus } = await openBus({ url: proxiedUrl(), reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
      await bus.ensureTopology();
      const received = recorder();
      await bus.consume(QueueName.ExportAccount, received.handler, { prefetch: 5 });

      await proxy.cut();
      const jobs = Array.from({ length: 3 }, (_, i) => accountJob(`outage-${i}`));
      let settled = false;
      const publishing = Promise.all(jobs.map((job) => bus.publish(QueueName.ExportAccount, job))).finally(() => (settled = true));
      await sleep(500);
      expect(settled).toBe(false);
      expect(bus.connected).toBe(false);

      await proxy.restore();
      await publishing;
      await waitUntil('the held messages', () => received.deliveries.length >= 3, 10_000);
      expect(new Set(received.deliveries.map((d) => d.messageId))).toEqual(new Set(jobs.map((j) => j.messageId)));
    });

    it('rejects a publish only when the outage outlasts the publish timeout', async () => {
      const { bus } = await openBus({ url: proxiedUrl(), publishTimeoutMs: 600, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
      await bus.ensureTopology();
      await proxy.cut();
      const started = Date.now();
      await expect(bus.publish(QueueName.ExportAccount, accountJob())).rejects.toMatchObject({ code: MessagingErrorCode.PublishTimeout });
      expect(Date.now() - started).toBeGreaterThanOrEqual(550);
      await proxy.restore();
    });
  });

  const disruptive = process.env.CWX_DISRUPTIVE_TESTS === '1' ? it : it.skip;
  disruptive(
    'survives a broker stop_app/start_app with queues, consumers and held publishes intact (CWX_DISRUPTIVE_TESTS=1)',
    async () => {
      const { bus } = await openBus({ publishTimeoutMs: 60_000, reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 } });
      await bus.ensureTopology();
      const received = recorder();
      await bus.consume(QueueName.ExportAccount, received.handler, { prefetch: 5 });
      const queued = accountJob('before-stop');
      await bus.publish(QueueName.ExportAccount, queued);
      await waitUntil('the first message', () => received.deliveries.length === 1);

      await rabbitmqctl('stop_app');
      let held: Promise<void>;
      const during = accountJob('during-stop');
      try {
        held = bus.publish(QueueName.ExportAccount, during);
        await sleep(1_000);
      } finally {
        await rabbitmqctl('start_app');
      }
      await held;
      await waitUntil('the message published during the outage', () => received.deliveries.some((d) => d.messageId === during.messageId), 30_000);
      expect(bus.connected).toBe(true);
    },
    90_000,
  );
});
