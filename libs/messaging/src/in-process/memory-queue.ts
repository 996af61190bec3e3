import type { AnyEnvelope, DeadLetterInfo } from '../message-bus';

/** A message held by the in-process bus. */
export interface StoredMessage {
  envelope: AnyEnvelope;
  /** Times it went back to the queue (retry, hand-back); the delivery count is `returns + 1`. */
  returns: number;
  /** Time it was deferred in all (deferrals do not count as returns). */
  deferredMs?: number;
  deadLetter?: DeadLetterInfo;
}

/** A consumer as the queue sees it: whether it can take one more message, and how to give it one. */
export interface QueueConsumer {
  hasCapacity(): boolean;
  deliver(message: StoredMessage): void;
}

/**
 * One queue in memory: ready messages in FIFO order and the consumers attached to it. Dispatch is
 * round-robin over consumers with spare capacity and always asynchronous, never inside publish().
 */
export class MemoryQueue {
  private readonly ready: StoredMessage[] = [];
  private readonly consumers: QueueConsumer[] = [];
  private next = 0;
  private pumpScheduled = false;

  get depth(): number {
    return this.ready.length;
  }

  enqueue(message: StoredMessage): void {
    this.ready.push(message);
    this.schedulePump();
  }

  attach(consumer: QueueConsumer): void {
    this.consumers.push(consumer);
    this.schedulePump();
  }

  detach(consumer: QueueConsumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
    this.schedulePump();
  }

  /** Call when a consumer freed a slot. */
  schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.ready.length > 0) {
      const consumer = this.nextWithCapacity();
      if (!consumer) return;
      consumer.deliver(this.ready.shift() as StoredMessage);
    }
  }

  private nextWithCapacity(): QueueConsumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const consumer = this.consumers[(this.next + i) % this.consumers.length];
      if (consumer.hasCapacity()) {
        this.next = (this.next + i + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }
}
