import { SILENT_LOGGER, type StructuredLogger } from '@cwx/observability';
import { QueueName } from '../contracts';
import { checkedEnvelope } from '../envelope';
import { MessagingError, MessagingErrorCode } from '../errors';
import {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_RETRY_DELAY_MS,
  type ConsumeOptions,
  type ConsumerHandle,
  type DeliveryBehaviourOptions,
  type Envelope,
  type MessageBus,
  type MessageHandler,
} from '../message-bus';
import { resolvedDeliveryLimit, type TopologyOptions } from '../topology';
import { MemoryConsumer, type Settlement } from './memory-consumer';
import { MemoryQueue, type StoredMessage } from './memory-queue';

export interface InProcessMessageBusOptions extends Omit<TopologyOptions, 'queuePrefix'>, DeliveryBehaviourOptions {
  logger?: StructuredLogger;
}

/**
 * The broker-less twin of `AmqpMessageBus` for local mode (one process, no RabbitMQ), with the same
 * semantics: queues must be declared by ensureTopology(), publish checks the envelope, prefetch is honoured
 * per consumer, `retry` (or a throw) hands the message back to the end of the queue after `retryDelayMs`,
 * a message handed back more than `deliveryLimit` times goes to the dead-letter queue with reason
 * `delivery_limit`, `dead` sends it there at once (reason `rejected`), a deferral holds it for its delay
 * (not counted as a delivery), and close() drains in-flight handlers.
 *
 * Not durable: messages live in memory and die with the process. Local mode does not rely on the bus
 * for durability; its outbox in the database re-publishes whatever a crash lost.
 */
export class InProcessMessageBus implements MessageBus {
  private readonly queues = new Map<QueueName, MemoryQueue>();
  private readonly consumers = new Set<MemoryConsumer>();
  /** Deferred messages waiting to go back to their queue. */
  private readonly deferrals = new Set<NodeJS.Timeout>();
  private readonly deliveryLimit: number;
  private readonly logger: StructuredLogger;
  private closing?: Promise<void>;

  constructor(private readonly options: InProcessMessageBusOptions = {}) {
    this.deliveryLimit = resolvedDeliveryLimit(options);
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  ensureTopology(): Promise<void> {
    for (const queue of Object.values(QueueName)) if (!this.queues.has(queue)) this.queues.set(queue, new MemoryQueue());
    return Promise.resolve();
  }

  /** Ready (not in-flight) messages in a queue; for tests and health pages. */
  depth(queue: QueueName): number {
    return this.queues.get(queue)?.depth ?? 0;
  }

  // async: a rejection rather than a throw; the message is enqueued synchronously all the same.
  // eslint-disable-next-line @typescript-eslint/require-await
  async publish(queue: QueueName, envelope: Envelope): Promise<void> {
    this.assertOpen();
    const checked = checkedEnvelope(queue, envelope);
    const target = this.queueOf(queue, MessagingErrorCode.Unroutable);
    const { maxLength } = this.options;
    // Like a quorum queue, whose bound is loose: it takes one message past maxLength, then rejects.
    if (maxLength !== undefined && queue !== QueueName.ExportDeadLetters && target.depth > maxLength) {
      throw new MessagingError(MessagingErrorCode.PublishRejected, `Queue ${queue} is full; ${checked.messageId} rejected`);
    }
    target.enqueue({ envelope: checked, returns: 0 });
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async consume(queue: QueueName, handler: MessageHandler, options: ConsumeOptions): Promise<ConsumerHandle> {
    this.assertOpen();
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1) throw new RangeError('prefetch must be a positive integer');
    const target = this.queueOf(queue, MessagingErrorCode.Unroutable);
    const consumer = new MemoryConsumer(queue, handler, this.settlement, {
      prefetch: options.prefetch,
      retryDelayMs: this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      drainTimeoutMs: this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
      logger: this.logger,
    });
    this.consumers.add(consumer);
    target.attach(consumer);
    return consumer;
  }

  get connected(): boolean {
    return !this.closing;
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([...this.consumers].map((consumer) => consumer.close())).then(() => {
      // Not durable, like every message of this bus: local mode's outbox and run recovery own durability.
      for (const timer of this.deferrals) clearTimeout(timer);
      this.deferrals.clear();
    });
    return this.closing;
  }

  private readonly settlement: Settlement = {
    giveBack: (queue, message) => this.giveBack(queue, message),
    deadLetter: (queue, message, reason) => this.deadLetter(queue, message, reason),
    defer: (queue, message, deferMs) => this.defer(queue, message, deferMs),
    slotFreed: (queue) => this.queues.get(queue)?.schedulePump(),
    detach: (consumer) => {
      this.consumers.delete(consumer);
      this.queues.get(consumer.queue)?.detach(consumer);
    },
  };

  private giveBack(queue: QueueName, message: StoredMessage): void {
    message.returns += 1;
    // Like a quorum queue: the dead-letter queue itself has no delivery limit.
    if (queue !== QueueName.ExportDeadLetters && message.returns > this.deliveryLimit) {
      this.deadLetter(queue, message, 'delivery_limit');
      return;
    }
    this.queues.get(queue)?.enqueue(message);
  }

  private defer(queue: QueueName, message: StoredMessage, deferMs: number): void {
    message.deferredMs = (message.deferredMs ?? 0) + deferMs;
    const timer = setTimeout(() => {
      this.deferrals.delete(timer);
      this.queues.get(queue)?.enqueue(message);
    }, deferMs);
    this.deferrals.add(timer);
  }

  private deadLetter(queue: QueueName, message: StoredMessage, reason: string): void {
    const context = { messageId: message.envelope.messageId, type: message.envelope.type, queue, reason };
    if (queue === QueueName.ExportDeadLetters) {
      this.logger.error(context, 'Dead letter discarded by its handler');
      return;
    }
    this.logger.warn(context, 'Message dead-lettered');
    this.queues.get(QueueName.ExportDeadLetters)?.enqueue({ envelope: message.envelope, returns: 0, deadLetter: { queue, reason } });
  }

  private queueOf(queue: QueueName, code: MessagingErrorCode): MemoryQueue {
    const found = this.queues.get(queue);
    if (!found) throw new MessagingError(code, `Queue ${queue} is not declared; call ensureTopology() first`);
    return found;
  }

  private assertOpen(): void {
    if (this.closing) throw new MessagingError(MessagingErrorCode.Closed, 'The message bus is closed');
  }
}
