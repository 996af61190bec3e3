import { connect, type ChannelModel } from 'amqplib';
import { toSafeError, type StructuredLogger } from '@cwx/observability';
import { MessagingError, MessagingErrorCode } from '../errors';
import { backoffDelay, type ReconnectOptions } from './backoff';

export interface ConnectionOptions {
  url: string;
  /** Shown in the RabbitMQ management UI and `rabbitmqctl list_connections client_properties`. */
  connectionName: string;
  heartbeatSeconds: number;
  reconnect: ReconnectOptions;
  logger: StructuredLogger;
}

/**
 * One AMQP connection that comes back after a loss (broker restart, `close_all_connections`, network):
 * it reconnects with backoff, forever, until close(). Channels do not survive a reconnect; their owners
 * listen to onConnected() and open new ones.
 */
export class ReconnectingConnection {
  private model?: ChannelModel;
  private closed = false;
  private waiters: { resolve: (model: ChannelModel) => void; reject: (error: Error) => void }[] = [];
  private readonly listeners = new Set<(model: ChannelModel) => void>();
  private reconnectTimer?: NodeJS.Timeout;

  constructor(private readonly options: ConnectionOptions) {}

  get connected(): boolean {
    return this.model !== undefined;
  }

  current(): ChannelModel | undefined {
    return this.model;
  }

  /** The first connection; rejects when the broker is unreachable, so a misconfigured app fails at boot. */
  async start(): Promise<void> {
    this.adopt(await this.open());
  }

  /** The live connection, waiting for a reconnect when there is none (rejects after `timeoutMs`). */
  waitForConnection(timeoutMs: number): Promise<ChannelModel> {
    if (this.closed) return Promise.reject(new MessagingError(MessagingErrorCode.Closed, 'The AMQP connection is closed'));
    if (this.model) return Promise.resolve(this.model);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (model: ChannelModel) => {
          clearTimeout(timer);
          resolve(model);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`No AMQP connection within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Calls `listener` after every reconnect (not the first connection). Returns the unsubscribe function. */
  onConnected(listener: (model: ChannelModel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new MessagingError(MessagingErrorCode.Closed, 'The AMQP connection is closed'));
    const model = this.model;
    this.model = undefined;
    if (model) await model.close().catch(() => undefined);
  }

  private async open(): Promise<ChannelModel> {
    const url = new URL(this.options.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds));
    return connect(url.toString(), { clientProperties: { connection_name: this.options.connectionName } });
  }

  private adopt(model: ChannelModel): void {
    if (this.closed) {
      void model.close().catch(() => undefined);
      return;
    }
    this.model = model;
    model.on('error', (error: Error) => this.options.logger.warn({ error: toSafeError(error) }, 'AMQP connection error'));
    model.on('blocked', (reason: string) => this.options.logger.warn({ reason }, 'AMQP connection blocked by the broker'));
    model.on('unblocked', () => this.options.logger.info({}, 'AMQP connection unblocked'));
    model.on('close', () => {
      if (this.model !== model) return;
      this.model = undefined;
      if (this.closed) return;
      this.options.logger.warn({}, 'AMQP connection lost; reconnecting');
      this.scheduleReconnect(1);
    });
    for (const waiter of this.waiters.splice(0)) waiter.resolve(model);
  }

  private scheduleReconnect(attempt: number): void {
    const delay = backoffDelay(attempt, this.options.reconnect);
    this.reconnectTimer = setTimeout(() => {
      void this.open().then(
        (model) => {
          this.adopt(model);
          if (this.closed) return;
          this.options.logger.info({ attempt }, 'AMQP connection re-established');
          for (const listener of this.listeners) listener(model);
        },
        (error: unknown) => {
          if (this.closed) return;
          this.options.logger.warn({ attempt, error: toSafeError(error) }, 'AMQP reconnect failed');
          this.scheduleReconnect(attempt + 1);
        },
      );
    }, delay);
  }
}
