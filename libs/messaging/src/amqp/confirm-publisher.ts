import type { ConfirmChannel, Message, Options } from 'amqplib';
import { toSafeError, type StructuredLogger } from '@cwx/observability';
import { MessagingError, MessagingErrorCode } from '../errors';
import { backoffDelay, sleep } from './backoff';
import type { ReconnectingConnection } from './reconnecting-connection';

/**
 * Publishes on a confirm channel and resolves only when the broker confirmed the message. While the
 * connection is down a publish waits and tries again (on the next connection) until `timeoutMs` has
 * passed since it was called; only then does it reject. A broker nack (e.g. a full queue with
 * `reject-publish`) or an unroutable message rejects at once: trying again would not help.
 * A publish retried after a lost confirm may reach the queue twice; ids are deterministic and handlers
 * idempotent, so that is safe.
 */
export class ConfirmPublisher {
  private channel?: Promise<ConfirmChannel>;
  /** Message ids the broker returned as unroutable; their confirm follows the return. */
  private readonly returned = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly connection: ReconnectingConnection,
    private readonly timeoutMs: number,
    private readonly logger: StructuredLogger,
  ) {}

  publish(queue: string, content: Buffer, properties: Options.Publish & { messageId: string }): Promise<void> {
    if (this.closed) return Promise.reject(new MessagingError(MessagingErrorCode.Closed, 'The message bus is closed'));
    const attempt = this.publishWithRetries(queue, content, properties);
    this.pending.add(attempt);
    const forget = () => this.pending.delete(attempt);
    attempt.then(forget, forget);
    return attempt;
  }

  /** Refuses new publishes, waits (bounded) for those in flight, then closes the channel. */
  async close(drainTimeoutMs: number): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs)));
    await Promise.race([Promise.allSettled([...this.pending]), timeout]);
    clearTimeout(timer);
    const channel = await this.channel?.catch(() => undefined);
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }

  private async publishWithRetries(queue: string, content: Buffer, properties: Options.Publish & { messageId: string }): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - Date.now();
      try {
        if (remaining <= 0) throw new Error('deadline passed');
        const channel = await withTimeout(this.channelFor(remaining), remaining);
        await withTimeout(this.sendOnce(channel, queue, content, properties), deadline - Date.now());
        return;
      } catch (error) {
        if (error instanceof MessagingError) throw error;
        const left = deadline - Date.now();
        if (this.closed) throw new MessagingError(MessagingErrorCode.Closed, `Bus closed before ${properties.messageId} was confirmed`, { cause: error });
        if (left <= 0) {
          throw new MessagingError(
            MessagingErrorCode.PublishTimeout,
            `No broker confirm for ${properties.messageId} within ${this.timeoutMs} ms`,
            { cause: error },
          );
        }
        this.logger.warn({ messageId: properties.messageId, attempt, error: toSafeError(error) }, 'Publish not confirmed; trying again');
        await sleep(Math.min(left, backoffDelay(attempt, { initialDelayMs: 50, maxDelayMs: 1_000 })));
      }
    }
  }

  private sendOnce(channel: ConfirmChannel, queue: string, content: Buffer, properties: Options.Publish & { messageId: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = properties.messageId;
      channel.sendToQueue(queue, content, properties, (error: unknown) => {
        if (this.returned.delete(id)) {
          reject(new MessagingError(MessagingErrorCode.Unroutable, `Queue ${queue} does not exist; ${id} was not routed`));
        } else if (error instanceof Error && error.message === 'message nacked') {
          reject(new MessagingError(MessagingErrorCode.PublishRejected, `The broker rejected ${id} (queue ${queue} full?)`));
        } else if (error) {
          reject(error instanceof Error ? error : new Error('publish not confirmed', { cause: error }));
        } else {
          resolve();
        }
      });
    });
  }

  /** The open confirm channel, opening one (after waiting for a connection) when there is none. */
  private channelFor(timeoutMs: number): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const opening: Promise<ConfirmChannel> = this.openChannel(timeoutMs, () => {
      if (this.channel === opening) this.channel = undefined;
    });
    this.channel = opening;
    return opening;
  }

  private async openChannel(timeoutMs: number, onGone: () => void): Promise<ConfirmChannel> {
    try {
      const model = await this.connection.waitForConnection(timeoutMs);
      const channel = await model.createConfirmChannel();
      channel.on('close', onGone);
      channel.on('error', (error: Error) => this.logger.warn({ error: toSafeError(error) }, 'AMQP publish channel error'));
      channel.on('return', (message: Message) => {
        if (typeof message.properties.messageId === 'string') this.returned.add(message.properties.messageId);
      });
      return channel;
    } catch (error) {
      onGone();
      throw error;
    }
  }
}

/** Rejects when `promise` has not settled within `ms` (the promise itself runs on; its outcome is ignored). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), Math.max(0, ms));
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
