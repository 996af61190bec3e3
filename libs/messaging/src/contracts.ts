/**
 * The message contracts between the control plane and the export workers: queue names, message types,
 * their payloads and their deterministic ids.
 *
 * No secrets travel in messages, by design: a worker loads the partner's encrypted credentials from the
 * database by partner id. That is what makes it safe for the transports to log message ids, types and
 * correlation ids (never payloads, all the same).
 */

import type { AccountResultStatus } from '@cwx/domain';

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

/** Something the partner should read that did not fail the job: an account skipped, a SKU left out, a price missing. */
export interface ResultWarning {
  /** Stable and machine-readable (`account-not-on-platform`, `catalog-conflict`, …). */
  code: string;
  sku?: string;
  message: string;
}

/**
 * Why a job failed, or was skipped, as its result says it: the one list of error kinds that travel
 * between processes. The worker writes them, the control plane branches on them (`Unauthorized` stops
 * the run and flags the integration), the export log keeps them. The payload schemas accept these values
 * only. The values are stored in the export log: never rename one.
 */
export const ResultErrorKind = {
  // ConnectWise, as the ConnectWise client classifies its failures (`ConnectWiseErrorKind` is a subset).
  /** 401, or no credentials stored: the control plane stops the run and the integration needs attention. */
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not-found',
  Invalid: 'invalid',
  ObjectExists: 'object-exists',
  Conflict: 'conflict',
  Throttled: 'throttled',
  Server: 'server',
  Network: 'network',
  Timeout: 'timeout',
  UnexpectedResponse: 'unexpected-response',
  SiteNotAllowed: 'site-not-allowed',
  UnknownCompany: 'unknown-company',
  // The platform (the distributor's data).
  PlatformNotFound: 'platform-not-found',
  PlatformUnavailable: 'platform-unavailable',
  PlatformUnauthorized: 'platform-unauthorized',
  PlatformRejected: 'platform-rejected',
  PlatformInvalidData: 'platform-invalid-data',
  /** Our own store (PostgreSQL) failed. */
  Store: 'store',
  /** The partner's settings do not allow the work (e.g. no catalog subcategory). */
  Settings: 'settings',
  /** The job's input is unusable (e.g. a malformed run date). */
  InvalidInput: 'invalid-input',
  /** The account's mapping changed while the job ran: it stopped writing to the old agreement. */
  MappingChanged: 'mapping-changed',
  /** The run had stopped (failed, or closed) before the account's job started: skipped. */
  RunStopped: 'run-stopped',
  /** The account was no longer mapped with Export on when its job started: skipped. */
  NotMapped: 'not-mapped',
  /** The job went past the delivery limit; the control plane records it as failed from the dead-letter queue. */
  DeadLetter: 'dead_letter',
} as const;

export type ResultErrorKind = (typeof ResultErrorKind)[keyof typeof ResultErrorKind];

export const RESULT_ERROR_KINDS = Object.values(ResultErrorKind) as [ResultErrorKind, ...ResultErrorKind[]];

/** A result's error. For ConnectWise errors `code`, `message` and `status` are ConnectWise's. */
export interface ResultError {
  kind: ResultErrorKind;
  /** ConnectWise's code (`InvalidObject`, `Security`…) or ours (`PLATFORM_NOT_FOUND`, `EXPORT_MISSING_DEFAULTS`…). */
  code?: string;
  message: string;
  /** HTTP status, for ConnectWise errors. */
  status?: number;
}

export interface CatalogCompleted {
  runId: string;
  partnerId: string;
  status: 'succeeded' | 'failed';
  catalog: CatalogEntry[];
  /** The operations applied, in order (entity, id, field, before, after). */
  operations: unknown[];
  /** SKUs the phase could not give a usable catalog item, and why. Absent from results of older workers. */
  warnings?: ResultWarning[];
  error?: ResultError;
  attempts: number;
}

/** What the job did to the account; the domain's run summary counts these. */
export type AccountStatus = AccountResultStatus;

export interface AccountCompleted {
  runId: string;
  partnerId: string;
  accountId: string;
  accountName: string;
  status: AccountStatus;
  /** The operations applied, in order (entity, id, field, before, after). */
  operations: unknown[];
  warnings: ResultWarning[];
  error?: ResultError;
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
