import {
  HandlerRegistry,
  InProcessMessageBus,
  MessagingErrorCode,
  QueueName,
  messageIdFor,
  type AnyDelivery,
  type HandlerOutcome,
  type InProcessMessageBusOptions,
} from '@cwx/messaging';
import { accountJob, describeBusContract, recorder, sleep, waitUntil } from './bus-contract';

function accountIdOf(delivery: AnyDelivery): string {
  return delivery.type === 'account.requested' ? delivery.payload.accountId : '';
}

describeBusContract('in-process', async (options) => {
  const bus = new InProcessMessageBus(options);
  await bus.ensureTopology();
  return bus;
});

describe('InProcessMessageBus', () => {
  let bus: InProcessMessageBus;
  afterEach(() => bus.close());

  async function openBus(options: InProcessMessageBusOptions = {}): Promise<InProcessMessageBus> {
    bus = new InProcessMessageBus({ retryDelayMs: 20, drainTimeoutMs: 200, ...options });
    await bus.ensureTopology();
    return bus;
  }

  it('refuses to publish or consume before the topology is declared, like a broker without the queue', async () => {
    bus = new InProcessMessageBus();
    await expect(bus.publish(QueueName.ExportAccount, accountJob())).rejects.toMatchObject({ code: MessagingErrorCode.Unroutable });
    await expect(bus.consume(QueueName.ExportAccount, recorder().handler, { prefetch: 1 })).rejects.toMatchObject({ code: MessagingErrorCode.Unroutable });
  });

  it('requires a positive integer prefetch', async () => {
    await openBus();
    await expect(bus.consume(QueueName.ExportAccount, recorder().handler, { prefetch: 0 })).rejects.toThrow(RangeError);
  });

  it('waits retryDelayMs before a retried message comes back, so a failing message does not spin', async () => {
    await openBus({ retryDelayMs: 80, deliveryLimit: 10 });
    const times: number[] = [];
    await bus.consume(
      QueueName.ExportAccount,
      () => {
        times.push(Date.now());
        return Promise.resolve(times.length < 3 ? 'retry' : 'ack');
      },
      { prefetch: 1 },
    );
    await bus.publish(QueueName.ExportAccount, accountJob());
    await waitUntil('three deliveries', () => times.length === 3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(75);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(75);
  });

  it('puts a retried message behind those already waiting', async () => {
    await openBus({ retryDelayMs: 0 });
    const order: string[] = [];
    const first = accountJob('first');
    const second = accountJob('second');
    await bus.publish(QueueName.ExportAccount, first);
    await bus.publish(QueueName.ExportAccount, second);
    await bus.consume(
      QueueName.ExportAccount,
      (d) => {
        order.push(`${accountIdOf(d)}#${d.deliveryCount}`);
        return Promise.resolve(d.messageId === first.messageId && d.deliveryCount === 1 ? 'retry' : 'ack');
      },
      { prefetch: 1 },
    );
    await waitUntil('three deliveries', () => order.length === 3);
    expect(order).toEqual(['first#1', 'second#1', 'first#2']);
  });

  it('shares a queue round-robin between consumers', async () => {
    await openBus();
    const a = recorder();
    const b = recorder();
    await bus.consume(QueueName.ExportAccount, a.handler, { prefetch: 1 });
    await bus.consume(QueueName.ExportAccount, b.handler, { prefetch: 1 });
    for (let i = 0; i < 4; i++) await bus.publish(QueueName.ExportAccount, accountJob(`acc-${i}`));
    await waitUntil('four deliveries', () => a.deliveries.length + b.deliveries.length === 4);
    expect(a.deliveries.length).toBe(2);
    expect(b.deliveries.length).toBe(2);
  });

  it('gives each delivery its own copy of the payload', async () => {
    await openBus({ retryDelayMs: 0 });
    const seen: string[] = [];
    await bus.consume(
      QueueName.ExportAccount,
      (d) => {
        seen.push(accountIdOf(d));
        (d.payload as { accountId: string }).accountId = 'mutated';
        return Promise.resolve(d.deliveryCount === 1 ? 'retry' : 'ack');
      },
      { prefetch: 1 },
    );
    await bus.publish(QueueName.ExportAccount, accountJob('acc-1'));
    await waitUntil('two deliveries', () => seen.length === 2);
    expect(seen).toEqual(['acc-1', 'acc-1']);
  });

  it('treats a handler that returns no outcome as a retry', async () => {
    await openBus({ retryDelayMs: 0 });
    const counts: number[] = [];
    await bus.consume(
      QueueName.ExportAccount,
      (d) => {
        counts.push(d.deliveryCount);
        return Promise.resolve((counts.length === 1 ? undefined : 'ack') as unknown as HandlerOutcome);
      },
      { prefetch: 1 },
    );
    await bus.publish(QueueName.ExportAccount, accountJob());
    await waitUntil('the retry', () => counts.length === 2);
    expect(counts).toEqual([1, 2]);
  });

  it('retries dead letters without limit, and discards one its handler calls dead', async () => {
    await openBus({ retryDelayMs: 0, deliveryLimit: 1 });
    const dead: number[] = [];
    await bus.consume(QueueName.ExportAccount, () => Promise.resolve('dead'), { prefetch: 1 });
    await bus.consume(
      QueueName.ExportDeadLetters,
      (d) => {
        dead.push(d.deliveryCount);
        return Promise.resolve(d.deliveryCount < 4 ? 'retry' : 'dead');
      },
      { prefetch: 1 },
    );
    await bus.publish(QueueName.ExportAccount, accountJob());
    await waitUntil('four dead-letter deliveries', () => dead.length === 4);
    await sleep(50);
    expect(dead).toEqual([1, 2, 3, 4]);
    expect(bus.depth(QueueName.ExportDeadLetters)).toBe(0);
  });

  it('rejects publishes to a full queue (bounded loosely, like a quorum queue)', async () => {
    await openBus({ maxLength: 1 });
    await bus.publish(QueueName.ExportAccount, accountJob('acc-1'));
    await bus.publish(QueueName.ExportAccount, accountJob('acc-2'));
    await expect(bus.publish(QueueName.ExportAccount, accountJob('acc-3'))).rejects.toMatchObject({ code: MessagingErrorCode.PublishRejected });
    expect(bus.depth(QueueName.ExportAccount)).toBe(2);
  });

  it('runs the registered handlers through the registry dispatcher', async () => {
    await openBus();
    const handled: string[] = [];
    const registry = new HandlerRegistry()
      .register(QueueName.ExportResults, 'account.completed', (d) => {
        handled.push(`${d.type} ${d.payload.status}`);
        return Promise.resolve('ack');
      })
      .register(QueueName.ExportResults, 'catalog.completed', (d) => {
        handled.push(`${d.type} ${d.payload.catalog.length}`);
        return Promise.resolve('ack');
      });
    await bus.consume(QueueName.ExportResults, registry.dispatcherFor(QueueName.ExportResults), { prefetch: 2 });
    await bus.publish(QueueName.ExportResults, {
      messageId: messageIdFor.catalogResult('run-1'),
      type: 'catalog.completed',
      payload: { runId: 'run-1', partnerId: 'p-1', status: 'succeeded', catalog: [{ sku: 'SKU-1', catalogItemId: 7 }], operations: [], attempts: 1 },
    });
    await waitUntil('the result', () => handled.length === 1);
    expect(handled).toEqual(['catalog.completed 1']);
  });
});
