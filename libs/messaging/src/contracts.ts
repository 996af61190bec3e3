/**
 * The message contracts between the control plane and the export workers: queue names, message types,
 * their payloads and their deterministic ids.
 *
 * No secrets travel in messages, by design: a worker loads the partner's encrypted credentials from the
 * database by partner id. That is what makes it safe for the transports to log message ids, types and
 * correlation ids (never payloads, all the same).
 */

/**
 * The queues. The values are the production queue names on the broker. Never rename a value without a
 * migration: the old queue keeps its messages (and its arguments), so a rename needs the new queue declared,
 * consumers deployed on both, the old queue drained, and only then the old name retired.
 */
export enum QueueName {
  /** One job per run: make sure every resold SKU exists as a ConnectWise catalog item. */
  ExportCatalog = 'cwx.export.catalog',
  /** One job per (run, account). */
  ExportAccount = 'cwx.export.account',
  /** Workers publish results here; the control plane consumes them and writes the export log. */
  ExportResults = 'cwx.export.results',
  /** Messages past the delivery limit (or handled as `dead`); the control plane marks the account failed. */
  ExportDeadLetters = 'cwx.export.dead',
}

export interface CatalogRequested {
  runId: string;
  partnerId: string;
}

export interface AccountRequested {
  runId: string;
  partnerId: string;
  accountId: string;
}

export interface CatalogEntry {
  sku: string;
  catalogItemId: number;
}

export interface CatalogCompleted {
  runId: string;
  partnerId: string;
  status: 'succeeded' | 'failed';
  catalog: CatalogEntry[];
  /** The operations applied, in order. */
  operations: unknown[];
  error?: { kind: string; code?: string; message: string };
  attempts: number;
}

export type AccountStatus = 'changed' | 'unchanged' | 'failed' | 'skipped';

export interface AccountCompleted {
  runId: string;
  partnerId: string;
  accountId: string;
  accountName: string;
  status: AccountStatus;
  /** The operations applied, in order (entity, id, field, before, after). */
  operations: unknown[];
  warnings: unknown[];
  /** `kind: 'unauthorized'` tells the control plane the partner's credentials were rejected. */
  error?: { kind: string; code?: string; message: string; status?: number };
  attempts: number;
  connectwiseCalls?: number;
}

/** Payload of each message type. */
export interface PayloadByType {
  'catalog.requested': CatalogRequested;
  'account.requested': AccountRequested;
  'catalog.completed': CatalogCompleted;
  'account.completed': AccountCompleted;
}

export type MessageType = keyof PayloadByType;
export type PayloadOf<T extends MessageType> = PayloadByType[T];

/** The discriminated union of every message, keyed by `type`. */
export type Message = { [T in MessageType]: { type: T; payload: PayloadOf<T> } }[MessageType];

export const MESSAGE_TYPES: readonly MessageType[] = [
  'catalog.requested',
  'account.requested',
  'catalog.completed',
  'account.completed',
];

/** The message types each queue carries. The dead-letter queue carries whatever the other queues dead-letter. */
export const QUEUE_MESSAGE_TYPES = {
  [QueueName.ExportCatalog]: ['catalog.requested'],
  [QueueName.ExportAccount]: ['account.requested'],
  [QueueName.ExportResults]: ['catalog.completed', 'account.completed'],
  [QueueName.ExportDeadLetters]: ['catalog.requested', 'account.requested', 'catalog.completed', 'account.completed'],
} as const satisfies Record<QueueName, readonly MessageType[]>;

/** The message types queue `Q` carries. */
export type TypesOn<Q extends QueueName> = (typeof QUEUE_MESSAGE_TYPES)[Q][number];

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}

export function isQueueName(value: unknown): value is QueueName {
  return typeof value === 'string' && (QUEUE_NAMES as readonly string[]).includes(value);
}

export function queueCarries(queue: QueueName, type: MessageType): boolean {
  return (QUEUE_MESSAGE_TYPES[queue] as readonly MessageType[]).includes(type);
}

/**
 * Deterministic message ids: the same job or result always gets the same id, so a handler can check it
 * before side effects and a duplicate (at-least-once delivery, a publish retried after a lost confirm)
 * is harmless.
 */
export const messageIdFor = {
  catalogJob: (runId: string): string => `catalog:${runId}`,
  accountJob: (runId: string, accountId: string): string => `${runId}:${accountId}`,
  catalogResult: (runId: string): string => `result:catalog:${runId}`,
  accountResult: (runId: string, accountId: string): string => `result:${runId}:${accountId}`,
} as const;

/** The deterministic id of a message, derived from its type and payload. */
export function messageIdOf(message: Message): string {
  switch (message.type) {
    case 'catalog.requested':
      return messageIdFor.catalogJob(message.payload.runId);
    case 'account.requested':
      return messageIdFor.accountJob(message.payload.runId, message.payload.accountId);
    case 'catalog.completed':
      return messageIdFor.catalogResult(message.payload.runId);
    case 'account.completed':
      return messageIdFor.accountResult(message.payload.runId, message.payload.accountId);
  }
}
