import type { StructuredLogger } from '@cwx/observability';
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
import type { QueueConsumer, StoredMessage } from './memory-queue';

/** What a consumer needs from the bus: where settled messages go. */
export interface Settlement {
  /** The message goes back to its queue (counts toward the delivery limit). */
  giveBack(queue: QueueName, message: StoredMessage): void;
  /** The message goes back to its queue after `deferMs`, not counted as a delivery. */
  defer(queue: QueueName, message: StoredMessage, deferMs: number): void;
  deadLetter(queue: QueueName, message: StoredMessage, reason: string): void;
  slotFreed(queue: QueueName): void;
  detach(consumer: MemoryConsumer): void;
}

interface InFlight {
  message: StoredMessage;
  retryTimer?: NodeJS.Timeout;
}

export interface MemoryConsumerOptions {
  prefetch: number;
  retryDelayMs: number;
  drainTimeoutMs: number;
  logger: StructuredLogger;
}

export class MemoryConsumer implements QueueConsumer, ConsumerHandle {
  private readonly inFlight = new Map<number, InFlight>();
  private nextTag = 1;
  private closing?: Promise<void>;
  private drained?: () => void;

  constructor(
    readonly queue: QueueName,
    private readonly handler: MessageHandler,
    private readonly settlement: Settlement,
    private readonly options: MemoryConsumerOptions,
  ) {}

  hasCapacity(): boolean {
    return this.closing === undefined && this.inFlight.size < this.options.prefetch;
  }

  deliver(message: StoredMessage): void {
    const tag = this.nextTag++;
    this.inFlight.set(tag, { message });
    const { envelope } = message;
    const delivery = {
      messageId: envelope.messageId,
      type: envelope.type,
      // A fresh copy per delivery: a handler that mutates its payload cannot change a redelivery.
      payload: structuredClone(envelope.payload),
      ...(envelope.correlationId !== undefined ? { correlationId: envelope.correlationId } : {}),
      deliveryCount: message.returns + 1,
      deferredMs: message.deferredMs ?? 0,
      redelivered: message.returns > 0,
      queue: this.queue,
      ...(message.deadLetter ? { deadLetter: { ...message.deadLetter } } : {}),
    } as AnyDelivery;
    void outcomeOf(this.handler, delivery, this.options.logger).then((outcome) => this.settle(tag, outcome));
  }

  close(): Promise<void> {
    this.closing ??= this.drainAndDetach();
    return this.closing;
  }

  private settle(tag: number, outcome: HandlerOutcome): void {
    const entry = this.inFlight.get(tag);
    if (!entry) {
      this.options.logger.warn({ queue: this.queue, outcome }, 'Handler finished after its message was handed back');
      return;
    }
    if (outcome === 'retry' && this.options.retryDelayMs > 0) {
      entry.retryTimer = setTimeout(() => this.finish(tag, entry, 'retry'), this.options.retryDelayMs);
      return;
    }
    this.finish(tag, entry, outcome);
  }

  private finish(tag: number, entry: InFlight, outcome: HandlerOutcome): void {
    this.inFlight.delete(tag);
    if (outcome === 'dead') this.settlement.deadLetter(this.queue, entry.message, 'rejected');
    else if (outcome === 'retry') this.settlement.giveBack(this.queue, entry.message);
    else if (isDeferral(outcome)) this.settlement.defer(this.queue, entry.message, outcome.deferMs);
    this.settlement.slotFreed(this.queue);
    if (this.inFlight.size === 0) this.drained?.();
  }

  private async drainAndDetach(): Promise<void> {
    if (this.inFlight.size > 0) {
      await boundedWait(this.options.drainTimeoutMs, (done) => (this.drained = done));
    }
    for (const [tag, entry] of this.inFlight) {
      clearTimeout(entry.retryTimer);
      this.inFlight.delete(tag);
      this.options.logger.warn({ messageId: entry.message.envelope.messageId, queue: this.queue }, 'Handing back an unfinished message');
      this.settlement.giveBack(this.queue, entry.message);
    }
    this.settlement.detach(this);
  }
}
