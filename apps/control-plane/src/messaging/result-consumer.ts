import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { and, eq } from 'drizzle-orm';
import { QueueName, type AnyDelivery, type ConsumerHandle, type HandlerOutcome, type MessageBus } from '@cwx/messaging';
import { accountMappings, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';
import { RecordRunResults } from '../runs/record-results.use-cases';
import { InjectMessageBus } from './message-bus.token';

/**
 * The control plane's consumers: workers' results into the export log, and dead letters (jobs that
 * failed past the delivery limit) as failed accounts of their run, so a poison message never leaves a
 * run open. Acknowledged only after the database transaction committed.
 */
@Injectable()
export class ResultConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ResultConsumer');
  private readonly consumers: ConsumerHandle[] = [];

  constructor(
    @InjectMessageBus() private readonly bus: MessageBus,
    @InjectDatabase() private readonly db: Database,
    private readonly record: RecordRunResults,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.ensureTopology();
    this.consumers.push(await this.bus.consume(QueueName.ExportResults, (d) => this.onResult(d), { prefetch: 16 }));
    this.consumers.push(await this.bus.consume(QueueName.ExportDeadLetters, (d) => this.onDeadLetter(d), { prefetch: 8 }));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.close()));
  }

  async onResult(delivery: AnyDelivery): Promise<HandlerOutcome> {
    switch (delivery.type) {
      case 'catalog.completed':
        await this.record.catalogCompleted(delivery.payload, delivery.correlationId);
        return 'ack';
      case 'account.completed':
        await this.record.accountCompleted(delivery.payload);
        return 'ack';
      default:
        this.logger.error({ messageId: delivery.messageId, type: delivery.type }, 'unexpected message on the results queue');
        return 'dead';
    }
  }

  async onDeadLetter(delivery: AnyDelivery): Promise<HandlerOutcome> {
    const reason = delivery.deadLetter ? `${delivery.deadLetter.reason} on ${delivery.deadLetter.queue}` : 'dead-lettered';
    const message = `Gave up after ${delivery.deliveryCount} deliveries (${reason}); see the worker logs for message ${delivery.messageId}.`;
    switch (delivery.type) {
      case 'account.requested': {
        const { runId, partnerId, accountId } = delivery.payload;
        const [mapping] = await this.db
          .select({ accountName: accountMappings.accountName })
          .from(accountMappings)
          .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, accountId)));
        await this.record.accountCompleted({
          runId,
          partnerId,
          accountId,
          accountName: mapping?.accountName ?? accountId,
          status: 'failed',
          operations: [],
          error: { kind: 'dead_letter', message },
          attempts: delivery.deliveryCount,
        });
        return 'ack';
      }
      case 'catalog.requested':
        await this.record.catalogCompleted({ ...delivery.payload, status: 'failed', error: { kind: 'dead_letter', message } });
        return 'ack';
      case 'catalog.completed':
      case 'account.completed':
        // A result that could not be recorded within the delivery limit (the database was down, say):
        // record it now. A failure throws, and the dead-letter queue (no limit) hands it back until it
        // is recorded, so no result is lost and the run closes.
        this.logger.warn({ messageId: delivery.messageId, type: delivery.type, reason }, 'recording a dead-lettered result');
        return this.onResult(delivery);
    }
  }
}
