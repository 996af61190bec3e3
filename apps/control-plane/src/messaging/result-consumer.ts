import { Controller } from '@nestjs/common';
import { OnBusMessage, QueueName, ResultErrorKind, type Delivery, type HandlerOutcome } from '@cwx/messaging';
import { metrics, nestLogger } from '@cwx/observability';
import { AccountsRepository } from '../mapping/accounts.repository';
import { RecordRunResults } from '../runs/record-results.use-cases';

/**
 * The control plane's consumers: workers' results into the export log, and dead letters (jobs that
 * failed past the delivery limit) as failed accounts of their run, so a poison message never leaves a
 * run open. Acknowledged only after the database transaction committed.
 */
@Controller()
export class ResultConsumer {
  private readonly logger = nestLogger('ResultConsumer');

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly record: RecordRunResults,
  ) {}

  @OnBusMessage(QueueName.ExportResults, 'catalog.completed')
  async catalogCompleted(delivery: Delivery<'catalog.completed'>): Promise<HandlerOutcome> {
    await this.record.catalogCompleted(delivery.payload, delivery.correlationId);
    return 'ack';
  }

  @OnBusMessage(QueueName.ExportResults, 'account.completed')
  async accountCompleted(delivery: Delivery<'account.completed'>): Promise<HandlerOutcome> {
    await this.record.accountCompleted(delivery.payload);
    return 'ack';
  }

  @OnBusMessage(QueueName.ExportDeadLetters, 'account.requested')
  async deadAccountJob(delivery: Delivery<'account.requested'>): Promise<HandlerOutcome> {
    const { message } = this.gaveUp(delivery);
    const { runId, partnerId, accountId } = delivery.payload;
    const mapping = await this.accounts.find(partnerId, accountId);
    await this.record.accountCompleted({
      runId,
      partnerId,
      accountId,
      accountName: mapping?.accountName ?? accountId,
      status: 'failed',
      operations: [],
      warnings: [],
      error: { kind: ResultErrorKind.DeadLetter, message },
      attempts: delivery.deliveryCount,
    });
    return 'ack';
  }

  @OnBusMessage(QueueName.ExportDeadLetters, 'catalog.requested')
  async deadCatalogJob(delivery: Delivery<'catalog.requested'>): Promise<HandlerOutcome> {
    const { message } = this.gaveUp(delivery);
    await this.record.catalogCompleted({
      ...delivery.payload,
      status: 'failed',
      catalog: [],
      operations: [],
      error: { kind: ResultErrorKind.DeadLetter, message },
      attempts: delivery.deliveryCount,
    });
    return 'ack';
  }

  // A result that could not be recorded within the delivery limit (the database was down, say): record it
  // now. A failure throws, and the dead-letter queue (no limit) hands it back until it is recorded, so no
  // result is lost and the run closes.
  @OnBusMessage(QueueName.ExportDeadLetters, 'catalog.completed')
  deadCatalogResult(delivery: Delivery<'catalog.completed'>): Promise<HandlerOutcome> {
    this.recordingLate(delivery);
    return this.catalogCompleted(delivery);
  }

  @OnBusMessage(QueueName.ExportDeadLetters, 'account.completed')
  deadAccountResult(delivery: Delivery<'account.completed'>): Promise<HandlerOutcome> {
    this.recordingLate(delivery);
    return this.accountCompleted(delivery);
  }

  /** Counts a dead letter (on its first delivery from the dead-letter queue) and says why it died. */
  private gaveUp(delivery: Delivery): { reason: string; message: string } {
    const reason = delivery.deadLetter ? `${delivery.deadLetter.reason} on ${delivery.deadLetter.queue}` : 'dead-lettered';
    if (!delivery.redelivered) {
      // A redelivery is the same dead letter.
      metrics.deadLetters.inc({ queue: delivery.deadLetter?.queue ?? 'unknown', reason: delivery.deadLetter?.reason ?? 'unknown' });
    }
    return { reason, message: `Gave up after ${delivery.deliveryCount} deliveries (${reason}); see the worker logs for message ${delivery.messageId}.` };
  }

  private recordingLate(delivery: Delivery<'catalog.completed' | 'account.completed'>): void {
    const { reason } = this.gaveUp(delivery);
    this.logger.warn({ messageId: delivery.messageId, type: delivery.type, reason }, 'recording a dead-lettered result');
  }
}
