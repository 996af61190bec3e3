import { toSafeError } from '@cwx/observability';
import type { MessageType, PayloadOf, QueueName } from './contracts';

/** A message as published: the deterministic id, the type, its payload and the correlation id. */
export interface Envelope<T extends MessageType = MessageType> {
  messageId: string;
  type: T;
  payload: PayloadOf<T>;
  correlationId?: string;
}

/** Why and where a message in the dead-letter queue died. */
export interface DeadLetterInfo {
  /** The queue the message was dead-lettered from. */
  queue: QueueName;
  /** `delivery_limit` (retried too often) or `rejected` (a handler answered `dead`). */
  reason: string;
}

/** A message as delivered to a handler. */
export interface Delivery<T extends MessageType = MessageType> extends Envelope<T> {
  /** 1 on the first delivery; every retry, hand-back or consumer crash adds one. */
  deliveryCount: number;
  redelivered: boolean;
  queue: QueueName;
  /** Set on deliveries from the dead-letter queue. */
  deadLetter?: DeadLetterInfo;
}

/** Envelopes as a discriminated union on `type`, so `switch (envelope.type)` narrows the payload. */
export type AnyEnvelope = { [T in MessageType]: Envelope<T> }[MessageType];
export type AnyDelivery = { [T in MessageType]: Delivery<T> }[MessageType];

/**
 * What a handler tells the transport: `ack` (done), `retry` (hand it back; counts toward the delivery
 * limit), `dead` (to the dead-letter queue at once). A thrown error or rejected promise means `retry`.
 */
export type HandlerOutcome = 'ack' | 'retry' | 'dead';

export type MessageHandler = (delivery: AnyDelivery) => Promise<HandlerOutcome>;

export interface ConsumeOptions {
  /** How many unacknowledged messages this consumer holds at most. Required: there is no safe default. */
  prefetch: number;
}

export interface ConsumerHandle {
  readonly queue: QueueName;
  /** Stop taking messages, let in-flight handlers finish (bounded), hand the rest back, then detach. */
  close(): Promise<void>;
}

export interface MessageBus {
  /** Declares the queues (idempotent). Publishers and consumers both call it at start-up. */
  ensureTopology(): Promise<void>;
  /** Resolves once the message is safely enqueued (on RabbitMQ: persisted and confirmed by the broker). */
  publish(queue: QueueName, envelope: Envelope): Promise<void>;
  consume(queue: QueueName, handler: MessageHandler, options: ConsumeOptions): Promise<ConsumerHandle>;
  /** Stop taking new messages, let in-flight handlers finish (bounded wait, then hand back), then close. */
  close(): Promise<void>;
}

/** The logger the transports write to; pino and Nest's logger both fit. Never given payloads. */
export interface BusLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export const SILENT_LOGGER: BusLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Behaviour both transports share, with the same defaults. */
export interface DeliveryBehaviourOptions {
  /** How long a `retry` keeps its slot before the message goes back, so a failing message does not spin. Default 200. */
  retryDelayMs?: number;
  /** How long close() waits for in-flight handlers before handing their messages back. Default 10 000. */
  drainTimeoutMs?: number;
}

export const DEFAULT_RETRY_DELAY_MS = 200;
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

const OUTCOMES: readonly string[] = ['ack', 'retry', 'dead'];

/**
 * Runs a handler and turns whatever happens into an outcome: a throw or rejection is `retry`, and so is
 * anything that is not an outcome (a handler that forgot to return one must not lose the message).
 */
export async function outcomeOf(handler: MessageHandler, delivery: AnyDelivery, logger: BusLogger): Promise<HandlerOutcome> {
  const context = { messageId: delivery.messageId, type: delivery.type, queue: delivery.queue, correlationId: delivery.correlationId };
  try {
    const outcome: unknown = await handler(delivery);
    if (typeof outcome === 'string' && OUTCOMES.includes(outcome)) return outcome as HandlerOutcome;
    logger.error('Handler returned no outcome; retrying', { ...context, outcome: String(outcome) });
    return 'retry';
  } catch (error) {
    logger.warn('Handler failed; retrying', { ...context, deliveryCount: delivery.deliveryCount, error: toSafeError(error) });
    return 'retry';
  }
}

/** Resolves when `arm`'s callback is called or after `timeoutMs`, whichever comes first. */
export function boundedWait(timeoutMs: number, arm: (done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    arm(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
