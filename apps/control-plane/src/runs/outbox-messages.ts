import type { outbox } from '@cwx/persistence';

/**
 * Outbox rows for the export's messages. Queue names and payload shapes follow libs/messaging's
 * contracts; message ids are deterministic so a re-published message is recognised downstream.
 */
export const QUEUES = {
  catalog: 'cwx.export.catalog',
  account: 'cwx.export.account',
} as const;

type OutboxRow = typeof outbox.$inferInsert;

export function catalogRequested(runId: string, partnerId: string, correlationId?: string): OutboxRow {
  return {
    messageId: `catalog:${runId}`,
    routingKey: QUEUES.catalog,
    payload: { type: 'catalog.requested', runId, partnerId },
    headers: correlationId ? { correlationId } : {},
  };
}

export function accountRequested(runId: string, partnerId: string, accountId: string, correlationId?: string): OutboxRow {
  return {
    messageId: `${runId}:${accountId}`,
    routingKey: QUEUES.account,
    payload: { type: 'account.requested', runId, partnerId, accountId },
    headers: correlationId ? { correlationId } : {},
  };
}
