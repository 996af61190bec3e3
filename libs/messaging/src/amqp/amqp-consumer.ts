import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { toSafeError } from '@cwx/observability';
import type { QueueName } from '../contracts';
import { boundedWait, outcomeOf, type BusLogger, type ConsumerHandle, type HandlerOutcome, type MessageHandler } from '../message-bus';
import { backoffDelay } from './backoff';
import { decode } from './codec';
import type { ReconnectingConnection } from './reconnecting-connection';

export interface AmqpConsumerOptions {
  prefetch: number;
  retryDelayMs: number;
  drainTimeoutMs: number;
  queuePrefix?: string;
  logger: BusLogger;
}

interface InFlight {
  channel: Channel;
  message: ConsumeMessage;
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
    channel.on('error', (error: Error) => this.options.logger.warn('AMQP consumer channel error', { queue: this.queue, error: toSafeError(error) }));
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
          this.options.logger.info('AMQP consumer resumed', { queue: this.queue });
        },
        (error: unknown) => {
          this.options.logger.warn('AMQP consumer could not subscribe again', { queue: this.queue, error: toSafeError(error) });
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
    this.options.logger.warn('AMQP consumer channel lost; subscribing again', { queue: this.queue, inFlight: this.inFlight.size });
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
      this.options.logger.warn('AMQP consumer cancelled by the broker', { queue: this.queue });
      void channel.close().catch(() => undefined);
      return;
    }
    if (this.closing) {
      settleOn(channel, message, 'retry', this.options.logger);
      return;
    }
    const decoded = decode(message, this.queue, this.options.queuePrefix);
    if ('problem' in decoded) {
      this.options.logger.error('Undecodable message dead-lettered', { queue: this.queue, messageId: decoded.messageId, problem: decoded.problem });
      settleOn(channel, message, 'dead', this.options.logger);
      return;
    }
    const entry: InFlight = { channel, message, messageId: decoded.delivery.messageId, settled: false };
    this.inFlight.add(entry);
    void outcomeOf(this.handler, decoded.delivery, this.options.logger).then((outcome) => this.settle(entry, outcome));
  }

  private settle(entry: InFlight, outcome: HandlerOutcome): void {
    if (entry.settled) {
      this.options.logger.warn('Handler finished after its message was handed back', { queue: this.queue, messageId: entry.messageId, outcome });
      return;
    }
    if (outcome === 'retry' && this.options.retryDelayMs > 0) {
      entry.retryTimer = setTimeout(() => this.finish(entry, 'retry'), this.options.retryDelayMs);
      return;
    }
    this.finish(entry, outcome);
  }

  private finish(entry: InFlight, outcome: HandlerOutcome): void {
    if (entry.settled) return;
    entry.settled = true;
    clearTimeout(entry.retryTimer);
    this.inFlight.delete(entry);
    if (entry.channel === this.channel) {
      settleOn(entry.channel, entry.message, outcome, this.options.logger);
    } else {
      this.options.logger.warn('Channel lost before the outcome; the broker redelivers the message', {
        queue: this.queue,
        messageId: entry.messageId,
        outcome,
      });
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
      this.options.logger.warn('Handing back an unfinished message', { queue: this.queue, messageId: entry.messageId });
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

function settleOn(channel: Channel, message: ConsumeMessage, outcome: HandlerOutcome, logger: BusLogger): void {
  try {
    if (outcome === 'ack') channel.ack(message);
    else channel.nack(message, false, outcome === 'retry');
  } catch (error) {
    // The channel closed under us: the broker requeues every unacknowledged message of a closed channel.
    logger.warn('Could not settle a message; the broker will redeliver it', { messageId: message.properties.messageId as unknown, error: toSafeError(error) });
  }
}
