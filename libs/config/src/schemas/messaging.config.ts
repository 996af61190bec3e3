import { z } from 'zod';
import { env, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = z.object({
  /** RabbitMQ URL (fleet mode). Without it (local mode) an in-process queue carries the jobs. */
  AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL').optional(),
  /** Jobs a worker holds at once (the consumer's prefetch). */
  AMQP_PREFETCH: env.int(4, 1),
  /** Deliveries of one message before it goes to the dead-letter queue. */
  AMQP_DELIVERY_LIMIT: env.int(5, 1),
  /** Redis URL for the fleet-wide ConnectWise request budget (fleet mode). */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  /** ConnectWise requests a minute per partner, all workers together (ConnectWise throttles above ~1,000). */
  CW_BUDGET_PER_MINUTE: env.int(900, 1),
  /** Prefix of the physical queue names, for side-by-side environments and tests; none in production. */
  AMQP_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
  /** Prefix of the budget's Redis keys; default `cwx:throttle:`. */
  CW_BUDGET_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:._-]{1,64}$/).optional(),
});

export interface MessagingConfig {
  amqpUrl?: string;
  prefetch: number;
  deliveryLimit: number;
  redisUrl?: string;
  budgetPerMinute: number;
  queuePrefix?: string;
  budgetKeyPrefix?: string;
}

export function loadMessagingConfig(source: Environment = readEnvironment()): MessagingConfig {
  const e = parseEnvironment(schema, source);
  return {
    amqpUrl: e.AMQP_URL,
    prefetch: e.AMQP_PREFETCH,
    deliveryLimit: e.AMQP_DELIVERY_LIMIT,
    redisUrl: e.REDIS_URL,
    budgetPerMinute: e.CW_BUDGET_PER_MINUTE,
    ...(e.AMQP_QUEUE_PREFIX ? { queuePrefix: e.AMQP_QUEUE_PREFIX } : {}),
    ...(e.CW_BUDGET_KEY_PREFIX ? { budgetKeyPrefix: e.CW_BUDGET_KEY_PREFIX } : {}),
  };
}
