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
});

export interface MessagingConfig {
  amqpUrl?: string;
  prefetch: number;
  deliveryLimit: number;
  redisUrl?: string;
  budgetPerMinute: number;
}

export function loadMessagingConfig(source: Environment = readEnvironment()): MessagingConfig {
  const e = parseEnvironment(schema, source);
  return {
    amqpUrl: e.AMQP_URL,
    prefetch: e.AMQP_PREFETCH,
    deliveryLimit: e.AMQP_DELIVERY_LIMIT,
    redisUrl: e.REDIS_URL,
    budgetPerMinute: e.CW_BUDGET_PER_MINUTE,
  };
}
