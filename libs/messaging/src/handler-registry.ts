import { QUEUE_MESSAGE_TYPES, type MessageType, type QueueName, type TypesOn } from './contracts';
import { MessagingError, MessagingErrorCode } from './errors';
import type { AnyDelivery, Delivery, HandlerOutcome, MessageHandler } from './message-bus';

export type TypedHandler<T extends MessageType> = (delivery: Delivery<T>) => Promise<HandlerOutcome>;

/**
 * Exactly one handler per message type on each queue, checked at start-up. The same type may have a
 * handler on two queues: the worker handles `account.requested` jobs, the control plane handles
 * `account.requested` dead letters (in local mode both live in one process).
 */
export class HandlerRegistry {
  private readonly handlers = new Map<QueueName, Map<MessageType, MessageHandler>>();

  /** Registers the handler of `type` on `queue`; throws when that pair already has one. */
  register<Q extends QueueName, T extends TypesOn<Q>>(queue: Q, type: T, handler: TypedHandler<T>): this {
    if (!(QUEUE_MESSAGE_TYPES[queue] as readonly MessageType[]).includes(type)) {
      throw new MessagingError(MessagingErrorCode.MissingHandler, `Queue ${queue} does not carry ${type}`);
    }
    const byType = this.handlers.get(queue) ?? new Map<MessageType, MessageHandler>();
    if (byType.has(type)) {
      throw new MessagingError(MessagingErrorCode.DuplicateHandler, `Two handlers for ${type} on ${queue}`);
    }
    byType.set(type, handler as MessageHandler);
    this.handlers.set(queue, byType);
    return this;
  }

  /** The queues with at least one handler. */
  queues(): QueueName[] {
    return [...this.handlers.keys()];
  }

  has(queue: QueueName, type: MessageType): boolean {
    return this.handlers.get(queue)?.has(type) ?? false;
  }

  /** The message types `queue` carries that have no handler. */
  unhandled(queue: QueueName): MessageType[] {
    return QUEUE_MESSAGE_TYPES[queue].filter((type) => !this.has(queue, type));
  }

  /** Throws, naming every gap, unless each type each queue carries has a handler. Call before consuming. */
  assertComplete(queues: readonly QueueName[]): void {
    const gaps = queues.flatMap((queue) => this.unhandled(queue).map((type) => `${type} on ${queue}`));
    if (gaps.length > 0) throw new MessagingError(MessagingErrorCode.MissingHandler, `No handler for ${gaps.join(', ')}`);
  }

  /** One handler for the whole queue that routes each delivery by type; asserts the queue is fully handled. */
  dispatcherFor(queue: QueueName): MessageHandler {
    this.assertComplete([queue]);
    const byType = this.handlers.get(queue) ?? new Map<MessageType, MessageHandler>();
    return (delivery: AnyDelivery) => {
      const handler = byType.get(delivery.type);
      // Unreachable after assertComplete, and transports dead-letter unknown types before dispatch.
      return handler ? handler(delivery) : Promise.resolve<HandlerOutcome>('dead');
    };
  }
}
