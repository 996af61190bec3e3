import { applyDecorators, Catch, type ExceptionFilter, UseFilters } from '@nestjs/common';
import { BaseRpcContext, type CustomTransportStrategy, MessagePattern, type MessageHandler as NestMessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom, type Observable, throwError } from 'rxjs';
import { QueueName, type MessageType, type QueueName as Queue, type TypesOn } from './contracts';
import { MessagingError, MessagingErrorCode } from './errors';
import { HandlerRegistry } from './handler-registry';
import type { AnyDelivery, ConsumerHandle, HandlerOutcome, MessageBus } from './message-bus';

/** The pattern of a bus handler: a message type on a queue (the same type may be handled on two queues). */
export interface BusPattern<Q extends Queue = Queue> {
  queue: Q;
  type: TypesOn<Q>;
}

/** Hands the error on as it was, so the transport logs it (safely) and hands the message back. */
@Catch()
class RethrowToTransport implements ExceptionFilter {
  catch(error: unknown): Observable<never> {
    return throwError(() => error);
  }
}

/**
 * Declares a controller method as the handler of `type` on `queue`. It receives the `Delivery` and
 * returns a `HandlerOutcome` (`ack`, `retry`, `dead` or a deferral); a throw hands the message back.
 * The bus transport allows one handler per (queue, type) and refuses to start with a type unhandled.
 */
export function OnBusMessage<Q extends Queue>(queue: Q, type: TypesOn<Q>): MethodDecorator {
  const pattern: BusPattern<Q> = { queue, type };
  return applyDecorators(MessagePattern(pattern, BUS_TRANSPORT), UseFilters(RethrowToTransport));
}

/** The identity of the bus transport: handlers declared with `OnBusMessage` bind to it only. */
export const BUS_TRANSPORT = Symbol('cwx-message-bus');

/** The second argument of a bus handler (Nest's RPC context): the delivery, with its retry bookkeeping. */
export class BusContext extends BaseRpcContext<[AnyDelivery]> {
  get delivery(): AnyDelivery {
    return this.args[0];
  }
}

/**
 * How many unacknowledged messages a process holds per queue: account jobs as configured (`AMQP_PREFETCH`),
 * the catalog job one at a time (one per run, and long), results and dead letters in small batches.
 */
export function consumerPrefetch(accountJobs: number): Record<Queue, number> {
  return { [QueueName.ExportCatalog]: 1, [QueueName.ExportAccount]: accountJobs, [QueueName.ExportResults]: 16, [QueueName.ExportDeadLetters]: 8 };
}

export interface BusTransportOptions {
  bus: MessageBus;
  /** Prefetch of each queue this process may consume (see `consumerPrefetch`). */
  prefetch: Partial<Record<Queue, number>>;
}

/**
 * Nest's microservice transport over our `MessageBus` (RabbitMQ with confirms, quorum queues, a delivery
 * limit and manual ack after the handler's outcome; or its in-process twin in local mode). Nest's stock
 * RMQ transport is not used: it acks before or without the handler's result and knows no deferral.
 *
 * Handlers come from `@OnBusMessage` methods of the app's controllers, into a `HandlerRegistry`: a second
 * handler for a (queue, type) fails the boot. `listen` consumes every queue that has a handler, after
 * checking that each type the queue carries is handled; `close` stops taking messages and lets the
 * in-flight ones finish (or hands them back), before the app closes its database.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = BUS_TRANSPORT;
  private readonly registry = new HandlerRegistry();
  private readonly consumers: ConsumerHandle[] = [];

  constructor(private readonly options: BusTransportOptions) {
    super();
  }

  override addHandler(pattern: unknown, callback: NestMessageHandler): void {
    const { queue, type } = busPatternOf(pattern);
    this.registry.register(queue, type, async (delivery) => {
      const result: unknown = await callback(delivery, new BusContext([delivery as AnyDelivery]));
      return lastValueFrom(this.transformToObservable(result)) as Promise<HandlerOutcome>;
    });
  }

  /** The queues this process consumes: those with a handler. */
  get queues(): Queue[] {
    return this.registry.queues();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), callback);
  }

  private async start(): Promise<void> {
    const { bus, prefetch } = this.options;
    const queues = this.registry.queues();
    this.registry.assertComplete(queues);
    const unset = queues.filter((queue) => !prefetch[queue]);
    if (unset.length > 0) throw new RangeError(`No prefetch set for ${unset.join(', ')}`);
    if (queues.length === 0) return;
    await bus.ensureTopology();
    for (const queue of queues) {
      this.consumers.push(await bus.consume(queue, this.registry.dispatcherFor(queue), { prefetch: prefetch[queue] ?? 0 }));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.close()));
  }

  on(): never {
    throw new MessagingError(MessagingErrorCode.Closed, 'The bus transport emits no events: read the bus state (connected) instead.');
  }

  unwrap<T>(): T {
    return this.options.bus as T;
  }
}

function busPatternOf(pattern: unknown): { queue: Queue; type: MessageType } {
  const { queue, type } = (typeof pattern === 'object' && pattern !== null ? pattern : {}) as Partial<BusPattern>;
  if (!Object.values<string>(QueueName).includes(queue as string) || typeof type !== 'string') {
    throw new MessagingError(MessagingErrorCode.MissingHandler, `Not a bus pattern: ${JSON.stringify(pattern)} (declare handlers with @OnBusMessage)`);
  }
  return { queue: queue as Queue, type: type };
}
