import { randomUUID } from 'node:crypto';
import { MessagingError, MessagingErrorCode, QueueName, messageIdFor, type AnyDelivery, type Envelope, type HandlerOutcome, type MessageBus } from '@cwx/messaging';

/** What a contract test asks of a transport. */
export interface ContractBusOptions {
  deliveryLimit: number;
  retryDelayMs: number;
  drainTimeoutMs: number;
}

export type BusFactory = (options: ContractBusOptions) => Promise<MessageBus>;

export const CONTRACT_OPTIONS: ContractBusOptions = { deliveryLimit: 2, retryDelayMs: 20, drainTimeoutMs: 300 };

/** An `account.requested` job with a unique run, its id deterministic. */
export function accountJob(accountId = 'acc-1', runId = `run-${randomUUID()}`): Envelope<'account.requested'> {
  return {
    messageId: messageIdFor.accountJob(runId, accountId),
    type: 'account.requested',
    payload: { runId, partnerId: 'partner-1', accountId },
    correlationId: `corr-${accountId}`,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A promise and the function that resolves it. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Records deliveries and answers each with `answer`. */
export function recorder(answer: (delivery: AnyDelivery) => HandlerOutcome | Promise<HandlerOutcome> = () => 'ack') {
  const deliveries: AnyDelivery[] = [];
  return {
    deliveries,
    handler: async (delivery: AnyDelivery): Promise<HandlerOutcome> => {
      deliveries.push(delivery);
      return answer(delivery);
    },
  };
}

/**
 * The semantics every MessageBus has, whatever the transport. `makeBus` returns a bus on fresh,
 * empty queues with the topology declared.
 */
export function describeBusContract(transport: string, makeBus: BusFactory): void {
  describe(`MessageBus contract: ${transport}`, () => {
    let bus: MessageBus;

    beforeEach(async () => {
      bus = await makeBus(CONTRACT_OPTIONS);
    });

    afterEach(async () => {
      await bus.close();
    });

    it('delivers a published message once, with its id, type, payload and correlation id, and acks it', async () => {
      const job = accountJob();
      const received = recorder();
      await bus.publish(QueueName.ExportAccount, job);
      await bus.consume(QueueName.ExportAccount, received.handler, { prefetch: 1 });

      await waitUntil('the delivery', () => received.deliveries.length === 1);
      expect(received.deliveries[0]).toEqual({
        ...job,
        deliveryCount: 1,
        deferredMs: 0,
        redelivered: false,
        queue: QueueName.ExportAccount,
      });
      await sleep(150);
      expect(received.deliveries).toHaveLength(1);
    });

    it('redelivers after a handler throws, counting deliveries from 1', async () => {
      const received = recorder((delivery) => {
        if (delivery.deliveryCount < 3) throw new Error('ConnectWise unavailable');
        return 'ack';
      });
      await bus.consume(QueueName.ExportAccount, received.handler, { prefetch: 1 });
      await bus.publish(QueueName.ExportAccount, accountJob());

      await waitUntil('three deliveries', () => received.deliveries.length === 3);
      expect(received.deliveries.map((d) => [d.deliveryCount, d.redelivered])).toEqual([
        [1, false],
        [2, true],
        [3, true],
      ]);
      await sleep(150);
      expect(received.deliveries).toHaveLength(3);
    });

    it('dead-letters a message retried past the delivery limit, keeping its id and correlation id', async () => {
      const job = accountJob();
      const work = recorder(() => 'retry');
      const dead = recorder();
      await bus.consume(QueueName.ExportAccount, work.handler, { prefetch: 1 });
      await bus.consume(QueueName.ExportDeadLetters, dead.handler, { prefetch: 1 });
      await bus.publish(QueueName.ExportAccount, job);

      await waitUntil('the dead letter', () => dead.deliveries.length === 1);
      // deliveryLimit 2: the message may go back twice, so it is delivered three times.
      expect(work.deliveries.map((d) => d.deliveryCount)).toEqual([1, 2, 3]);
      expect(dead.deliveries[0]).toMatchObject({
        messageId: job.messageId,
        type: 'account.requested',
        payload: job.payload,
        correlationId: job.correlationId,
        queue: QueueName.ExportDeadLetters,
        deliveryCount: 1,
        deadLetter: { queue: QueueName.ExportAccount, reason: 'delivery_limit' },
      });
    });

    it('a deferred message comes back after its delay with its delivery count unchanged: a deferral is never a failed delivery', async () => {
      const job = accountJob();
      const deferMs = 300;
      const times: number[] = [];
      // deliveryLimit 2 allows three deliveries: were the two deferrals counted, the fourth would be dead-lettered.
      const received = recorder((d) => {
        times.push(Date.now());
        if (d.deliveryCount === 1) return 'retry';
        return times.length <= 3 ? { deferMs } : 'ack';
      });
      const dead = recorder();
      await bus.consume(QueueName.ExportAccount, received.handler, { prefetch: 1 });
      await bus.consume(QueueName.ExportDeadLetters, dead.handler, { prefetch: 1 });
      await bus.publish(QueueName.ExportAccount, job);

      await waitUntil('the last delivery', () => received.deliveries.length === 4, 20_000);
      expect(received.deliveries.map((d) => [d.deliveryCount, d.messageId, d.correlationId])).toEqual([
        [1, job.messageId, job.correlationId],
        [2, job.messageId, job.correlationId],
        [2, job.messageId, job.correlationId],
        [2, job.messageId, job.correlationId],
      ]);
      expect(received.deliveries[1].deferredMs).toBe(0);
      expect(received.deliveries[3].deferredMs).toBeGreaterThanOrEqual(2 * deferMs);
      for (const i of [2, 3]) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(deferMs - 20);
      await sleep(150);
      expect(received.deliveries).toHaveLength(4);
      expect(dead.deliveries).toHaveLength(0);
    }, 30_000);

    it('the delivery limit still counts the failures before and after a deferral', async () => {
      const job = accountJob();
      const received = recorder((d) => (d.deliveryCount === 2 && d.deferredMs === 0 ? { deferMs: 100 } : 'retry'));
      const dead = recorder();
      await bus.consume(QueueName.ExportAccount, received.handler, { prefetch: 1 });
      await bus.consume(QueueName.ExportDeadLetters, dead.handler, { prefetch: 1 });
      await bus.publish(QueueName.ExportAccount, job);

      await waitUntil('the dead letter', () => dead.deliveries.length === 1, 20_000);
      expect(received.deliveries.map((d) => d.deliveryCount)).toEqual([1, 2, 2, 3]);
      expect(dead.deliveries[0]).toMatchObject({ messageId: job.messageId, deadLetter: { queue: QueueName.ExportAccount } });
    }, 30_000);

    it('sends a message its handler calls dead to the dead-letter queue at once', async () => {
      const job = accountJob();
      const work = recorder(() => 'dead');
      const dead = recorder();
      await bus.consume(QueueName.ExportAccount, work.handler, { prefetch: 1 });
      await bus.consume(QueueName.ExportDeadLetters, dead.handler, { prefetch: 1 });
      await bus.publish(QueueName.ExportAccount, job);

      await waitUntil('the dead letter', () => dead.deliveries.length === 1);
      expect(work.deliveries).toHaveLength(1);
      expect(dead.deliveries[0]).toMatchObject({ messageId: job.messageId, deadLetter: { queue: QueueName.ExportAccount, reason: 'rejected' } });
    });

    it('never runs more handlers at once than the prefetch', async () => {
      let running = 0;
      let most = 0;
      const done: string[] = [];
      await bus.consume(
        QueueName.ExportAccount,
        async (delivery) => {
          running += 1;
          most = Math.max(most, running);
          await sleep(60);
          running -= 1;
          done.push(delivery.messageId);
          return 'ack';
        },
        { prefetch: 2 },
      );
      const jobs = Array.from({ length: 6 }, (_, i) => accountJob(`acc-${i}`));
      await Promise.all(jobs.map((job) => bus.publish(QueueName.ExportAccount, job)));

      await waitUntil('all six handled', () => done.length === 6);
      expect(most).toBe(2);
      expect([...done].sort()).toEqual(jobs.map((j) => j.messageId).sort());
    });

    it('close() lets an in-flight handler finish, acks it, and takes no new message', async () => {
      const release = gate();
      const first = accountJob('acc-first');
      const second = accountJob('acc-second');
      const seen: string[] = [];
      const consumer = await bus.consume(
        QueueName.ExportAccount,
        async (delivery) => {
          seen.push(delivery.messageId);
          await release.opened;
          return 'ack';
        },
        { prefetch: 1 },
      );
      await bus.publish(QueueName.ExportAccount, first);
      await waitUntil('the first delivery', () => seen.length === 1);
      await bus.publish(QueueName.ExportAccount, second);

      let closed = false;
      const closing = consumer.close().then(() => (closed = true));
      await sleep(100);
      expect(closed).toBe(false);
      release.open();
      await closing;
      expect(seen).toEqual([first.messageId]);

      const next = recorder();
      await bus.consume(QueueName.ExportAccount, next.handler, { prefetch: 5 });
      await waitUntil('the second message on a new consumer', () => next.deliveries.length === 1);
      await sleep(150);
      expect(next.deliveries.map((d) => d.messageId)).toEqual([second.messageId]);
    });

    it('hands an unfinished message back when its consumer closes, and another consumer gets it', async () => {
      const job = accountJob();
      const stuck: string[] = [];
      const consumer = await bus.consume(
        QueueName.ExportAccount,
        (delivery) => {
          stuck.push(delivery.messageId);
          return new Promise<HandlerOutcome>(() => undefined);
        },
        { prefetch: 1 },
      );
      await bus.publish(QueueName.ExportAccount, job);
      await waitUntil('the stuck delivery', () => stuck.length === 1);

      await consumer.close(); // drainTimeoutMs 300, then the message is handed back
      const other = recorder();
      await bus.consume(QueueName.ExportAccount, other.handler, { prefetch: 1 });
      await waitUntil('the redelivery', () => other.deliveries.length === 1);
      expect(other.deliveries[0]).toMatchObject({ messageId: job.messageId, deliveryCount: 2, redelivered: true });
    });

    it('refuses to publish an envelope that is not a valid message for the queue', async () => {
      const job = accountJob();
      const invalid = [
        { ...job, type: 'account.exploded' },
        { ...job, messageId: '' },
        { ...job, payload: { runId: 'r', partnerId: 'p' } },
        { ...job, type: 'catalog.requested', payload: { runId: 'r', partnerId: 'p' } },
      ] as unknown as Envelope[];
      for (const envelope of invalid) {
        await expect(bus.publish(QueueName.ExportAccount, envelope)).rejects.toMatchObject({ code: MessagingErrorCode.InvalidEnvelope });
      }
    });

    it('refuses to publish or consume once closed', async () => {
      await bus.close();
      await expect(bus.publish(QueueName.ExportAccount, accountJob())).rejects.toBeInstanceOf(MessagingError);
      await expect(bus.consume(QueueName.ExportAccount, recorder().handler, { prefetch: 1 })).rejects.toMatchObject({
        code: MessagingErrorCode.Closed,
      });
    });
  });
}
