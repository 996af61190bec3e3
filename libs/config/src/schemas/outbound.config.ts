import { env, envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = envSchema({
  /**
   * Let the product's own calls (webhooks, the ConnectWise site) reach loopback, private, link-local and
   * other non-public addresses. Development and tests only (the simulator listens on loopback).
   */
  OUTBOUND_ALLOW_PRIVATE: env.bool(false),
});

/** Where outbound calls may go (see @cwx/outbound). */
export interface OutboundConfig {
  allowPrivateDestinations: boolean;
}

export function loadOutboundConfig(source: Environment = readEnvironment()): OutboundConfig {
  return { allowPrivateDestinations: parseEnvironment(schema, source).OUTBOUND_ALLOW_PRIVATE };
}
