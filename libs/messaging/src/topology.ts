import { QUEUE_NAMES, QueueName } from './contracts';

/** How many times a message may be handed back (retry, hand-back, consumer crash) before it is dead-lettered. */
export const DEFAULT_DELIVERY_LIMIT = 5;

export interface TopologyOptions {
  /**
   * Returns allowed before a message goes to the dead-letter queue: a message is delivered at most
   * `deliveryLimit + 1` times. Default 5. RabbitMQ 3.10 has no default, hence always explicit. Changing it
   * for existing queues needs a `delivery-limit` policy: redeclaring with other arguments fails.
   */
  deliveryLimit?: number;
  /** Optional bound on ready messages per work queue; when full, publishes are rejected (never dropped). */
  maxLength?: number;
  /**
   * Prefix of the physical queue names, joined with a dot: `test-1a2b` gives `test-1a2b.cwx.export.account`.
   * For tests and side-by-side environments; production uses none.
   */
  queuePrefix?: string;
}

export interface QueueDeclaration {
  /** The queue; for a wait queue, the work queue its messages go back to. */
  queue: QueueName;
  /** The name on the broker. */
  name: string;
  arguments: Record<string, string | number>;
  /** Wait queues only: how long a message waits in it before it goes back to `queue`. */
  waitMs?: number;
}

/** The queues whose jobs a handler may defer (a paused ConnectWise budget). */
export const DEFERRABLE_QUEUES: readonly QueueName[] = [QueueName.ExportCatalog, QueueName.ExportAccount];

/**
 * The delays of the wait queues, one set per deferrable queue. A deferral goes to the longest delay not above
 * the one asked (the shortest when none is): a message comes back early rather than late, and the handler,
 * finding the budget still paused, defers it again for what is left or waits the last seconds itself.
 * ConnectWise's Retry-After is often 30 or 60 s, each one hop; 45 s takes three (30, 10, 5).
 */
export const DEFER_DELAYS_MS: readonly number[] = [5, 10, 20, 30, 60, 120, 300].map((s) => s * 1000);

export function deferDelayFor(deferMs: number): number {
  const fitting = DEFER_DELAYS_MS.filter((d) => d <= deferMs);
  return fitting.length > 0 ? fitting[fitting.length - 1] : DEFER_DELAYS_MS[0];
}

export function waitQueueName(queue: QueueName, delayMs: number, prefix?: string): string {
  return `${physicalQueueName(queue, prefix)}.wait.${delayMs / 1000}s`;
}

export function physicalQueueName(queue: QueueName, prefix?: string): string {
  return prefix ? `${prefix}.${queue}` : queue;
}

/** The logical queue behind a physical name, or undefined when it is none of ours. */
export function logicalQueueName(name: string, prefix?: string): QueueName | undefined {
  return QUEUE_NAMES.find((queue) => physicalQueueName(queue, prefix) === name);
}

export function resolvedDeliveryLimit(options: TopologyOptions): number {
  const limit = options.deliveryLimit ?? DEFAULT_DELIVERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`deliveryLimit must be a non-negative integer, got ${limit}`);
  return limit;
}

/**
 * The queues, dead-letter queue first (it must exist before anything is routed to it). All are durable
 * quorum queues. The work queues carry an explicit delivery limit and dead-letter to the dead-letter queue
 * with the `at-least-once` strategy, which RabbitMQ only honours together with `x-overflow: reject-publish`.
 * The dead-letter queue has no delivery limit and no dead-letter exchange of its own: a dead letter is never
 * dropped by the broker; its handler answers `dead` to discard one it cannot process.
 */
export function topologyFor(options: TopologyOptions = {}): QueueDeclaration[] {
  const deliveryLimit = resolvedDeliveryLimit(options);
  const deadLetters = physicalQueueName(QueueName.ExportDeadLetters, options.queuePrefix);
  const common: Record<string, string | number> = { 'x-queue-type': 'quorum', 'x-overflow': 'reject-publish' };
  if (options.maxLength !== undefined) common['x-max-length'] = options.maxLength;
  const work = QUEUE_NAMES.filter((queue) => queue !== QueueName.ExportDeadLetters).map((queue) => ({
    queue,
    name: physicalQueueName(queue, options.queuePrefix),
    arguments: {
      ...common,
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': deadLetters,
      'x-dead-letter-strategy': 'at-least-once',
    },
  }));
  // Wait queues: no consumer; each message expires after the queue's TTL and is dead-lettered (at least
  // once) back to its work queue, where its first delivery carries no x-delivery-count.
  const waits = DEFERRABLE_QUEUES.flatMap((queue) =>
    DEFER_DELAYS_MS.map((waitMs) => ({
      queue,
      name: waitQueueName(queue, waitMs, options.queuePrefix),
      waitMs,
      arguments: {
        'x-queue-type': 'quorum',
        'x-overflow': 'reject-publish', // the at-least-once strategy needs it; no length bound: these jobs were queued once already
        'x-message-ttl': waitMs,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': physicalQueueName(queue, options.queuePrefix),
        'x-dead-letter-strategy': 'at-least-once',
      },
    })),
  );
  return [{ queue: QueueName.ExportDeadLetters, name: deadLetters, arguments: { ...common } }, ...work, ...waits];
}
