import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { metrics, toSafeError, type StructuredLogger } from '@cwx/observability';
import type { QueueName } from '../contracts';
import {
  boundedWait,
  isDeferral,
  outcomeOf,
  type AnyDelivery,
  type ConsumerHandle,
  type HandlerOutcome,
  type MessageHandler,
} from '../message-bus';
import { backoffDelay } from './backoff';
import { decode } from './codec';
import type { ReconnectingConnection } from './reconnecting-connection';

export interface AmqpConsumerOptions {
  prefetch: number;
  retryDelayMs: number;
  drainTimeoutMs: number;
  queuePrefix?: string;
  /** The queue's delivery limit, enforced here too for a deferred message (the broker counts it afresh). */
  deliveryLimit: number;
  /** Republishes a deferred message (confirmed) to the wait queue for `deferMs`; rejects when it could not. */
  defer: (message: ConsumeMessage, delivery: AnyDelivery, deferMs: number) => Promise<void>;
  logger: StructuredLogger;
}

/** What the consumer settles a message with: a handler's outcome, resolved to what goes to the broker. */
type Settlement = 'ack' | 'retry' | 'dead';

interface InFlight {
  channel: Channel;
  message: ConsumeMessage;
  delivery?: AnyDelivery;
  messageId?: string;
  settled: boolean;
  retryTimer?: NodeJS.Timeout;
}

/**
 * One consumer on its own channel with an explicit prefetch and manual acks, sent only after the handler
 * settled: `ack`, `retry` → nack with requeue (counts toward the queue's delivery limit), `dead` → nack
 * without requeue (the queue dead-letters it). A message that cannot be decoded is dead at once.
 * When its channel or connection is lost the consumer subscribes again; handlers still running on the
 * lost channel finish, but their acks are dropped (the broker has already requeued those messages).
 */
export class AmqpConsumer implements ConsumerHandle {
  private channel?: Channel;
  private consumerTag?: string;
  private subscribing?: Promise<void>;
  private readonly inFlight = new Set<InFlight>();
  private closing?: Promise<void>;
  private drained?: () => void;
  private stopListening?: () => void;
  private resubscribeTimer?: NodeJS.Timeout;
  private resubscribeAttempt = 0;

  constructor(
    readonly queue: QueueName,
    private readonly physicalName: string,
    private readonly handler: MessageHandler,
    private readonly connection: ReconnectingConnection,
    private readonly options: AmqpConsumerOptions,
  ) {}

  /** Subscribes; rejects when that fails (no connection within `timeoutMs`, queue missing). */
  async start(timeoutMs: number): Promise<void> {
    await this.subscribe(await this.connection.waitForConnection(timeoutMs));
    this.stopListening = this.connection.onConnected((model) => this.resubscribe(model));
  }

  close(): Promise<void> {
    this.closing ??= this.drainAndDetach();
    return this.closing;
  }

  private async subscribe(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.options.logger.warn({ queue: this.queue, error: toSafeError(error) }, 'AMQP consumer channel error'));
    channel.on('close', () => this.channelClosed(channel));
    try {
      await channel.prefetch(this.options.prefetch, false);
      const { consumerTag } = await channel.consume(this.physicalName, (message) => this.onMessage(channel, message), { noAck: false });
      this.channel = channel;
      this.consumerTag = consumerTag;
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
    if (this.closing) await this.closeChannel();
  }

  private resubscribe(model: ChannelModel): void {
    if (this.closing || this.channel || this.subscribing) return;
    this.subscribing = this.subscribe(model)
      .then(
        () => {
          this.resubscribeAttempt = 0;
          this.options.logger.info({ queue: this.queue }, 'AMQP consumer resumed');
        },
        (error: unknown) => {
          this.options.logger.warn({ queue: this.queue, error: toSafeError(error) }, 'AMQP consumer could not subscribe again');
          this.scheduleResubscribe();
        },
      )
      .finally(() => (this.subscribing = undefined));
  }

  private channelClosed(channel: Channel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    if (this.closing) return;
    this.options.logger.warn({ queue: this.queue, inFlight: this.inFlight.size }, 'AMQP consumer channel lost; subscribing again');
    this.scheduleResubscribe();
  }

  /** Tries again on the live connection after a backoff; after a reconnect, onConnected does it sooner. */
  private scheduleResubscribe(): void {
    if (this.closing || this.resubscribeTimer) return;
    this.resubscribeAttempt += 1;
    this.resubscribeTimer = setTimeout(() => {
      this.resubscribeTimer = undefined;
      const model = this.connection.current();
      if (model) this.resubscribe(model);
    }, backoffDelay(this.resubscribeAttempt));
  }

  private onMessage(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (queue deleted). Reopen, which keeps failing until the queue is back.
      this.options.logger.warn({ queue: this.queue }, 'AMQP consumer cancelled by the broker');
      void channel.close().catch(() => undefined);
      return;
    }
    if (this.closing) {
      settleOn(channel, message, 'retry', this.options.logger);
      return;
    }
    const decoded = decode(message, this.queue, this.options.queuePrefix);
    if ('problem' in decoded) {
      this.options.logger.error({ queue: this.queue, messageId: decoded.messageId, problem: decoded.problem }, 'Undecodable message dead-lettered');
      metrics.jobs.inc({ queue: this.queue, outcome: 'dead_lettered' });
      settleOn(channel, message, 'dead', this.options.logger);
      return;
    }
    const entry: InFlight = { channel, message, delivery: decoded.delivery, messageId: decoded.delivery.messageId, settled: false };
    this.inFlight.add(entry);
    void outcomeOf(this.handler, decoded.delivery, this.options.logger).then((outcome) => this.settle(entry, outcome));
  }

  private settle(entry: InFlight, outcome: HandlerOutcome): void {
    if (entry.settled) {
      this.options.logger.warn({ queue: this.queue, messageId: entry.messageId, outcome }, 'Handler finished after its message was handed back');
      return;
    }
    if (isDeferral(outcome)) {
      this.deferred(entry, outcome.deferMs);
      return;
    }
    if (outcome === 'retry' && this.pastLimitAfterDeferral(entry)) {
      this.options.logger.warn({ queue: this.queue, messageId: entry.messageId }, 'Deferred message past its delivery limit; dead-lettered');
      this.finish(entry, 'dead');
      return;
    }
    if (outcome === 'retry' && this.options.retryDelayMs > 0) {
      entry.retryTimer = setTimeout(() => this.finish(entry, 'retry'), this.options.retryDelayMs);
      return;
    }
    this.finish(entry, outcome);
  }

  /** The deferred copy is confirmed in its wait queue before the original is acknowledged: nothing is lost. */
  private deferred(entry: InFlight, deferMs: number): void {
    if (!entry.delivery) return this.finish(entry, 'retry');
    this.options.defer(entry.message, entry.delivery, deferMs).then(
      () => this.finish(entry, 'ack'),
      (error: unknown) => {
        this.options.logger.warn({ queue: this.queue, messageId: entry.messageId, error: toSafeError(error) }, 'Could not defer a message; handing it back');
        this.finish(entry, 'retry');
      },
    );
  }

  /**
   * A message deferred earlier is a new message to the broker, whose x-delivery-count (and limit) start
   * again: the deliveries it had before are counted here, so the limit still bounds real failures.
   */
  private pastLimitAfterDeferral(entry: InFlight): boolean {
    const delivery = entry.delivery;
    return delivery !== undefined && delivery.deferredMs > 0 && delivery.deliveryCount > this.options.deliveryLimit;
  }

  private finish(entry: InFlight, outcome: Settlement): void {
    if (entry.settled) return;
    entry.settled = true;
    clearTimeout(entry.retryTimer);
    this.inFlight.delete(entry);
    if (entry.channel === this.channel) {
      settleOn(entry.channel, entry.message, outcome, this.options.logger);
    } else {
      this.options.logger.warn({ queue: this.queue, messageId: entry.messageId, outcome }, 'Channel lost before the outcome; the broker redelivers the message');
    }
    if (this.inFlight.size === 0) this.drained?.();
  }

  private async drainAndDetach(): Promise<void> {
    this.stopListening?.();
    clearTimeout(this.resubscribeTimer);
    const { channel, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
    if (this.inFlight.size > 0) {
      await boundedWait(this.options.drainTimeoutMs, (done) => (this.drained = done));
    }
    for (const entry of this.inFlight) {
      this.options.logger.warn({ queue: this.queue, messageId: entry.messageId }, 'Handing back an unfinished message');
      this.finish(entry, 'retry');
    }
    await this.subscribing?.catch(() => undefined);
    await this.closeChannel();
  }

  private async closeChannel(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }
}

function settleOn(channel: Channel, message: ConsumeMessage, outcome: Settlement, logger: StructuredLogger): void {
  try {
    if (outcome === 'ack') channel.ack(message);
    else channel.nack(message, false, outcome === 'retry');
  } catch (error) {
    // The channel closed under us: the broker requeues every unacknowledged message of a closed channel.
    logger.warn({ messageId: message.properties.messageId as unknown, error: toSafeError(error) }, 'Could not settle a message; the broker will redeliver it');
  }
}
