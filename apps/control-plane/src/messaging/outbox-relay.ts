import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type MessageBus, type QueueName } from '@cwx/messaging';
import { nestLogger } from '@cwx/observability';
import type { OutboxPayload } from '../runs/outbox-messages';
import { OutboxSignal } from '../runs/outbox-signal';
import { InjectMessageBus } from './message-bus.token';
import { OutboxRepository } from './outbox.repository';

const BATCH = 200;

/**
 * Publishes outbox rows in order and marks them published. Rows are claimed with `FOR UPDATE SKIP
 * LOCKED`, so several replicas share the work; a crash between publishing and marking re-publishes the
 * same message id, which every consumer treats as a duplicate.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = nestLogger('OutboxRelay');
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private pass?: Promise<number>;
  private unsubscribe?: () => void;

  constructor(
    private readonly outbox: OutboxRepository,
    @InjectMessageBus() private readonly bus: MessageBus,
    private readonly signal: OutboxSignal,
  ) {}

  /** Pause between passes when the outbox is empty. */
  private readonly intervalMs = 100;

  onApplicationBootstrap(): void {
    let busy = false;
    let again = false;
    const loop = async (): Promise<void> => {
      if (this.stopped) return;
      busy = true;
      again = false;
      let published = 0;
      try {
        this.pass = this.publishPending();
        published = await this.pass;
      } catch (error) {
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'outbox relay pass failed; retrying');
      }
      busy = false;
      if (!this.stopped) this.timer = setTimeout(() => void loop(), published >= BATCH || again ? 0 : this.intervalMs);
    };
    // Rows committed in this process are published at once instead of at the next poll.
    this.unsubscribe = this.signal.onNotify(() => {
      if (this.stopped) return;
      if (busy) {
        again = true;
        return;
      }
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void loop(), 0);
    });
    void loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass?.catch(() => undefined);
  }

  /** One pass: publishes up to a batch of pending rows; returns how many. */
  async publishPending(): Promise<number> {
    return this.outbox.publishBatch(BATCH, async (rows) => {
      for (const row of rows) {
        const body = row.payload as OutboxPayload;
        const headers = row.headers as { correlationId?: string };
        await this.bus.publish(row.routingKey as QueueName, {
          messageId: row.messageId,
          type: body.type,
          payload: body.payload,
          ...(headers.correlationId ? { correlationId: headers.correlationId } : {}),
        });
      }
    });
  }
}
