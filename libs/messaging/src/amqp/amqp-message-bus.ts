import { SILENT_LOGGER, type StructuredLogger } from '@cwx/observability';
import { checkedEnvelope } from '../envelope';
import { MessagingError, MessagingErrorCode } from '../errors';
import type { QueueName } from '../contracts';
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
import { deferDelayFor, physicalQueueName, resolvedDeliveryLimit, topologyFor, waitQueueName, type TopologyOptions } from '../topology';
import { AmqpConsumer } from './amqp-consumer';
import type { ReconnectOptions } from './backoff';
import { deferredProperties, encode } from './codec';
import { ConfirmPublisher } from './confirm-publisher';
import { ReconnectingConnection } from './reconnecting-connection';

export interface AmqpMessageBusOptions extends TopologyOptions, DeliveryBehaviourOptions {
  /** `amqp://user:password@host:5672/vhost`. Never logged. */
  url: string;
  /** Connection name shown by the broker, and the messages' `appId`. Default `cwx`. */
  connectionName?: string;
  /** A publish rejects when not confirmed this long after it was called (outages included). Default 30 000. */
  publishTimeoutMs?: number;
  /** Backoff between reconnect attempts after a connection loss. */
  reconnect?: ReconnectOptions;
  /** AMQP heartbeat, unless the URL sets one. Default 10 s, so a dead broker is noticed quickly. */
  heartbeatSeconds?: number;
  logger?: StructuredLogger;
}

export const DEFAULT_PUBLISH_TIMEOUT_MS = 30_000;

/**
 * The message bus on RabbitMQ (amqplib), not Nest's RMQ transport, whose defaults are unsafe for jobs.
 * Publishing: a confirm channel, persistent messages, resolved on the broker's confirm, retried across
 * reconnects until `publishTimeoutMs`. Consuming: one channel per consumer, explicit prefetch, manual
 * ack after the handler. The connection comes back by itself after a loss, and consumers with it.
 * Logs carry message ids, types and correlation ids, never payloads (which hold no secrets by design).
 */
export class AmqpMessageBus implements MessageBus {
  private readonly connection: ReconnectingConnection;
  private readonly publisher: ConfirmPublisher;
  private readonly consumers = new Set<AmqpConsumer>();
  private readonly logger: StructuredLogger;
  private closing?: Promise<void>;

  private constructor(private readonly options: AmqpMessageBusOptions) {
    this.logger = options.logger ?? SILENT_LOGGER;
    this.connection = new ReconnectingConnection({
      url: options.url,
      connectionName: options.connectionName ?? 'cwx',
      heartbeatSeconds: options.heartbeatSeconds ?? 10,
      reconnect: options.reconnect ?? {},
      logger: this.logger,
    });
    this.publisher = new ConfirmPublisher(this.connection, this.publishTimeoutMs, this.logger);
  }

  /** Connects; rejects when the broker cannot be reached now. Later losses are recovered from. */
  static async connect(options: AmqpMessageBusOptions): Promise<AmqpMessageBus> {
    const bus = new AmqpMessageBus(options);
    await bus.connection.start();
    return bus;
  }

  /** Whether the connection is up right now (for readiness checks). */
  get connected(): boolean {
    return this.connection.connected;
  }

  async ensureTopology(): Promise<void> {
    const model = await this.connection.waitForConnection(this.publishTimeoutMs);
    // A channel of its own: a declaration that conflicts with an existing queue closes its channel.
    const channel = await model.createChannel();
    channel.on('error', () => undefined);
    try {
      for (const declaration of topologyFor(this.options)) {
        await channel.assertQueue(declaration.name, { durable: true, arguments: declaration.arguments });
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async publish(queue: QueueName, envelope: Envelope): Promise<void> {
    if (this.closing) throw new MessagingError(MessagingErrorCode.Closed, 'The message bus is closed');
    const { content, properties } = encode(checkedEnvelope(queue, envelope), this.options.connectionName);
    await this.publisher.publish(physicalQueueName(queue, this.options.queuePrefix), content, {
      ...properties,
      messageId: envelope.messageId,
    });
  }

  async consume(queue: QueueName, handler: MessageHandler, options: ConsumeOptions): Promise<ConsumerHandle> {
    if (this.closing) throw new MessagingError(MessagingErrorCode.Closed, 'The message bus is closed');
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1) throw new RangeError('prefetch must be a positive integer');
    const consumer = new AmqpConsumer(queue, physicalQueueName(queue, this.options.queuePrefix), handler, this.connection, {
      prefetch: options.prefetch,
      retryDelayMs: this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS,
      drainTimeoutMs: this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
      queuePrefix: this.options.queuePrefix,
      deliveryLimit: resolvedDeliveryLimit(this.options),
      defer: (message, delivery, deferMs) => {
        const delayMs = deferDelayFor(deferMs);
        return this.publisher.publish(waitQueueName(queue, delayMs, this.options.queuePrefix), message.content, deferredProperties(message, delivery, delayMs));
      },
      logger: this.logger,
    });
    await consumer.start(this.publishTimeoutMs);
    this.consumers.add(consumer);
    const close = consumer.close.bind(consumer);
    return {
      queue,
      close: () => close().finally(() => this.consumers.delete(consumer)),
    };
  }

  /** Stops consuming (in-flight handlers finish or are handed back), lets publishes settle, disconnects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.consumers].map((consumer) => consumer.close()));
      await this.publisher.close(this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
      await this.connection.close();
    })();
    return this.closing;
  }

  private get publishTimeoutMs(): number {
    return this.options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
  }
}
