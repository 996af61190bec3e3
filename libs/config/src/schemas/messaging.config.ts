import { z } from 'zod';
import { env, envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = envSchema({
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
  /**
   * Account jobs of one run in the queue at once (the rest are released one per result). Default: 8 at the
   * usual budget, growing with CW_BUDGET_PER_MINUTE (one per 120) up to 64.
   */
  CWX_RUN_WINDOW: z.coerce.number().int().min(1).max(1000).optional(),
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
  /** Set only to override the window derived from the budget. */
  runWindow?: number;
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
    ...(e.CWX_RUN_WINDOW !== undefined ? { runWindow: e.CWX_RUN_WINDOW } : {}),
    ...(e.AMQP_QUEUE_PREFIX ? { queuePrefix: e.AMQP_QUEUE_PREFIX } : {}),
    ...(e.CW_BUDGET_KEY_PREFIX ? { budgetKeyPrefix: e.CW_BUDGET_KEY_PREFIX } : {}),
  };
}
