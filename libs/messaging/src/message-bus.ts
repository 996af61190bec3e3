import { metrics, stopwatch, toSafeError, type StructuredLogger } from '@cwx/observability';
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
  /** 1 on the first delivery; every retry, hand-back or consumer crash adds one (a deferral does not). */
  deliveryCount: number;
  /** How long the message has been deferred so far, in total (0 until a handler defers it). */
  deferredMs: number;
  redelivered: boolean;
  queue: QueueName;
  /** Set on deliveries from the dead-letter queue. */
  deadLetter?: DeadLetterInfo;
}

/** Envelopes as a discriminated union on `type`, so `switch (envelope.type)` narrows the payload. */
export type AnyEnvelope = { [T in MessageType]: Envelope<T> }[MessageType];
export type AnyDelivery = { [T in MessageType]: Delivery<T> }[MessageType];

/**
 * Deliver the message again after about `deferMs`, without counting a delivery: for a wait that is not a
 * failure (the partner's ConnectWise budget is paused). On RabbitMQ the message is republished (confirmed)
 * to the wait queue with the longest delay not above `deferMs` (the shortest when none is; see
 * `DEFER_DELAYS_MS`), then acknowledged; the in-process bus holds it for `deferMs`. Either way it may come
 * back a little early: the handler checks again.
 */
export interface Deferral {
  deferMs: number;
}

/**
 * What a handler tells the transport: `ack` (done), `retry` (hand it back; counts toward the delivery
 * limit), `dead` (to the dead-letter queue at once), or a `Deferral`. A thrown error or rejected promise
 * means `retry`.
 */
export type HandlerOutcome = 'ack' | 'retry' | 'dead' | Deferral;

export function isDeferral(outcome: unknown): outcome is Deferral {
  if (typeof outcome !== 'object' || outcome === null) return false;
  const { deferMs } = outcome as { deferMs?: unknown };
  return typeof deferMs === 'number' && Number.isFinite(deferMs) && deferMs >= 0;
}

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
  /** Whether the broker answers right now (readiness checks); the in-process queue is up until closed. */
  readonly connected: boolean;
  /** Declares the queues (idempotent). Publishers and consumers both call it at start-up. */
  ensureTopology(): Promise<void>;
  /** Resolves once the message is safely enqueued (on RabbitMQ: persisted and confirmed by the broker). */
  publish(queue: QueueName, envelope: Envelope): Promise<void>;
  consume(queue: QueueName, handler: MessageHandler, options: ConsumeOptions): Promise<ConsumerHandle>;
  /** Stop taking new messages, let in-flight handlers finish (bounded wait, then hand back), then close. */
  close(): Promise<void>;
}

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
export async function outcomeOf(handler: MessageHandler, delivery: AnyDelivery, logger: StructuredLogger): Promise<HandlerOutcome> {
  const elapsed = stopwatch();
  const outcome = await runHandler(handler, delivery, logger);
  metrics.jobs.inc({ queue: delivery.queue, outcome: isDeferral(outcome) ? 'deferred' : OUTCOME_LABEL[outcome] });
  metrics.jobSeconds.observe({ queue: delivery.queue }, elapsed());
  return outcome;
}

/** The `outcome` label of `cwx_jobs_total` for each handler outcome. */
const OUTCOME_LABEL: Record<Exclude<HandlerOutcome, Deferral>, string> = { ack: 'acked', retry: 'handed_back', dead: 'dead_lettered' };

async function runHandler(handler: MessageHandler, delivery: AnyDelivery, logger: StructuredLogger): Promise<HandlerOutcome> {
  const context = { messageId: delivery.messageId, type: delivery.type, queue: delivery.queue, correlationId: delivery.correlationId };
  try {
    const outcome: unknown = await handler(delivery);
    if ((typeof outcome === 'string' && OUTCOMES.includes(outcome)) || isDeferral(outcome)) return outcome as HandlerOutcome;
    logger.error({ ...context, outcome: String(outcome) }, 'Handler returned no outcome; retrying');
    return 'retry';
  } catch (error) {
    logger.warn({ ...context, deliveryCount: delivery.deliveryCount, error: toSafeError(error) }, 'Handler failed; retrying');
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
