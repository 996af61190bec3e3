import { messageIdFor, QueueName, type MessageType, type PayloadOf } from '@cwx/messaging';
import type { outbox } from '@cwx/persistence';

/** What an outbox row's `payload` column holds: the message type and its payload. */
export interface OutboxPayload<T extends MessageType = MessageType> {
  type: T;
  payload: PayloadOf<T>;
}

type OutboxRow = typeof outbox.$inferInsert;

/** Outbox rows for the export's messages, with the deterministic ids of libs/messaging's contracts. */
export function catalogRequested(runId: string, partnerId: string, correlationId?: string): OutboxRow {
  const body: OutboxPayload<'catalog.requested'> = { type: 'catalog.requested', payload: { runId, partnerId } };
  return { messageId: messageIdFor.catalogJob(runId), routingKey: QueueName.ExportCatalog, payload: body, headers: correlationId ? { correlationId } : {} };
}

export function accountRequested(runId: string, partnerId: string, accountId: string, correlationId?: string): OutboxRow {
  const body: OutboxPayload<'account.requested'> = { type: 'account.requested', payload: { runId, partnerId, accountId } };
  return { messageId: messageIdFor.accountJob(runId, accountId), routingKey: QueueName.ExportAccount, payload: body, headers: correlationId ? { correlationId } : {} };
}
