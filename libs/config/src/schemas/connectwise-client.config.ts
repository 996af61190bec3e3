import { z } from 'zod';
import { env, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = z.object({
  /** The integration's ConnectWise clientId (a GUID from the ConnectWise Developer Network). Not a secret. */
  CW_CLIENT_ID: z.string().min(1).default('00000000-0000-4000-8000-00000000c0de'),
  /**
   * Hosts allowed besides ConnectWise's own API hosts, as origins (`http://127.0.0.1:4010`,
   * `https://psa.example.com`). Plain http is accepted only for loopback addresses.
   */
  CW_EXTRA_ALLOWED_ORIGINS: env.list(),
  CW_REQUEST_TIMEOUT_MS: env.int(30000, 1),
  /** Retries after a 429, a 5xx or a network error (never a blind re-send of a POST). */
  CW_MAX_RETRIES: env.int(5),
  /** Cap on one backoff wait, in milliseconds. */
  CW_RETRY_MAX_DELAY_MS: env.int(30000, 1),
});

export interface ConnectwiseClientConfig {
  clientId: string;
  extraAllowedOrigins: string[];
  requestTimeoutMs: number;
  maxRetries: number;
  retryMaxDelayMs: number;
}

export function loadConnectwiseClientConfig(source: Environment = readEnvironment()): ConnectwiseClientConfig {
  const e = parseEnvironment(schema, source);
  return {
    clientId: e.CW_CLIENT_ID,
    extraAllowedOrigins: e.CW_EXTRA_ALLOWED_ORIGINS,
    requestTimeoutMs: e.CW_REQUEST_TIMEOUT_MS,
    maxRetries: e.CW_MAX_RETRIES,
    retryMaxDelayMs: e.CW_RETRY_MAX_DELAY_MS,
  };
}
