import 'reflect-metadata';
import { Controller, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, type MicroserviceOptions, Payload } from '@nestjs/microservices';
import { BusContext, BusTransport, consumerPrefetch, OnBusMessage } from './bus-transport';
import { QueueName, messageIdFor } from './contracts';
import { MessagingErrorCode } from './errors';
import { InProcessMessageBus } from './in-process/in-process-message-bus';
import type { Delivery, HandlerOutcome } from './message-bus';

const seen: { accountId: string; deliveryCount: number; fromContext: string }[] = [];
let outcomes: (HandlerOutcome | Error)[] = [];

@Controller()
class AccountJobs {
  @OnBusMessage(QueueName.ExportAccount, 'account.requested')
  account(@Payload() delivery: Delivery<'account.requested'>, @Ctx() context: BusContext): Promise<HandlerOutcome> {
    seen.push({ accountId: delivery.payload.accountId, deliveryCount: delivery.deliveryCount, fromContext: context.delivery.messageId });
    const next = outcomes.shift() ?? 'ack';
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
}

@Controller()
class SecondAccountJobs {
  @OnBusMessage(QueueName.ExportAccount, 'account.requested')
  account(): Promise<HandlerOutcome> {
    return Promise.resolve('ack');
  }
}

@Controller()
class HalfTheResults {
  @OnBusMessage(QueueName.ExportResults, 'account.completed')
  account(): Promise<HandlerOutcome> {
    return Promise.resolve('ack');
  }
}

@Controller()
class DeadLetters {
  @OnBusMessage(QueueName.ExportDeadLetters, 'account.requested')
  account(delivery: Delivery<'account.requested'>): Promise<HandlerOutcome> {
    deadLetters.push(delivery.payload.accountId);
    return Promise.resolve('ack');
  }
  @OnBusMessage(QueueName.ExportDeadLetters, 'catalog.requested')
  catalog(): Promise<HandlerOutcome> {
    return Promise.resolve('ack');
  }
  @OnBusMessage(QueueName.ExportDeadLetters, 'account.completed')
  accountResult(): Promise<HandlerOutcome> {
    return Promise.resolve('ack');
  }
  @OnBusMessage(QueueName.ExportDeadLetters, 'catalog.completed')
  catalogResult(): Promise<HandlerOutcome> {
    return Promise.resolve('ack');
  }
}
const deadLetters: string[] = [];

async function boot(bus: InProcessMessageBus, ...controllers: Type[]): Promise<INestMicroservice> {
  @Module({ controllers })
  class Host {}
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(Host, {
    strategy: new BusTransport({ bus, prefetch: consumerPrefetch(2) }),
    logger: false,
    abortOnError: false,
  });
  await app.listen();
  return app;
}

async function waitUntil(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

function accountJob(accountId: string) {
  const runId = `run-${accountId}`;
  return { messageId: messageIdFor.accountJob(runId, accountId), type: 'account.requested' as const, payload: { runId, partnerId: 'p-1', accountId } };
}

describe('BusTransport (handlers declared with @OnBusMessage)', () => {
  let bus: InProcessMessageBus;
  let app: INestMicroservice | undefined;

  beforeEach(() => {
    bus = new InProcessMessageBus({ deliveryLimit: 2, retryDelayMs: 5, drainTimeoutMs: 200 });
    seen.length = 0;
    deadLetters.length = 0;
    outcomes = [];
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await bus.close();
  });

  it('routes each delivery to its handler and acts on the outcome: a throw or a retry hands it back, past the limit it is dead-lettered', async () => {
    app = await boot(bus, AccountJobs, DeadLetters);
    outcomes = [new TypeError('boom'), 'retry', 'retry'];
    await bus.publish(QueueName.ExportAccount, accountJob('acc-1'));
    await waitUntil('the dead letter', () => deadLetters.length === 1);
    expect(seen.map((s) => [s.accountId, s.deliveryCount])).toEqual([
      ['acc-1', 1],
      ['acc-1', 2],
      ['acc-1', 3],
    ]);
    expect(seen[0].fromContext).toBe(messageIdFor.accountJob('run-acc-1', 'acc-1'));
    expect(deadLetters).toEqual(['acc-1']);

    await bus.publish(QueueName.ExportAccount, accountJob('acc-2'));
    await waitUntil('the second job', () => seen.length === 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.map((s) => s.accountId)).toEqual(['acc-1', 'acc-1', 'acc-1', 'acc-2']);
  });

  it('refuses to boot with two handlers for one type on one queue', async () => {
    await expect(boot(bus, AccountJobs, SecondAccountJobs)).rejects.toMatchObject({ code: MessagingErrorCode.DuplicateHandler });
  });

  it('refuses to start consuming a queue that carries a type nobody handles', async () => {
    await expect(boot(bus, HalfTheResults)).rejects.toMatchObject({ code: MessagingErrorCode.MissingHandler, message: expect.stringContaining('catalog.completed on cwx.export.results') });
  });

  it('consumes only the queues that have handlers', async () => {
    const transport = new BusTransport({ bus, prefetch: { [QueueName.ExportAccount]: 1 } });
    @Module({ controllers: [AccountJobs] })
    class Host {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(Host, { strategy: transport, logger: false });
    await app.listen();
    expect(transport.queues).toEqual([QueueName.ExportAccount]);
  });

  it('refuses to consume a queue without a prefetch (there is no safe default)', async () => {
    @Module({ controllers: [AccountJobs] })
    class Host {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(Host, { strategy: new BusTransport({ bus, prefetch: {} }), logger: false });
    await expect(app.listen()).rejects.toThrow(/No prefetch set for cwx.export.account/);
  });
});
