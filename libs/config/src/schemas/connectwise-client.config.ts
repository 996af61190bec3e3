import { extraOriginProblem } from '@cwx/connectwise';
import { ConfigValidationError } from '../config-error';
import { z } from 'zod';
import { env, envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = envSchema({
  /** The integration's ConnectWise clientId (a GUID from the ConnectWise Developer Network). Not a secret. */
  CW_CLIENT_ID: z.string().min(1).default('00000000-0000-4000-8000-00000000c0de'),
  /**
   * Hosts allowed besides ConnectWise's own API hosts, as origins (`http://127.0.0.1:4010`,
   * `https://psa.example.com`). Plain http is accepted only for loopback addresses.
   */
  CW_EXTRA_ALLOWED_ORIGINS: env.list(),
  /**
   * Host names allowed plain http in CW_EXTRA_ALLOWED_ORIGINS besides loopback: a simulator on a private
   * container network (`connectwise-sim`). Never a real ConnectWise site (its keys would travel in clear).
   */
  CW_PLAIN_HTTP_HOSTS: env.list(),
  CW_REQUEST_TIMEOUT_MS: env.int(30000, 1),
  /** Retries after a 429, a 5xx or a network error (never a blind re-send of a POST). */
  CW_MAX_RETRIES: env.int(5),
  /** Cap on one backoff wait, in milliseconds. */
  CW_RETRY_MAX_DELAY_MS: env.int(30000, 1),
});

export interface ConnectWiseClientConfig {
  clientId: string;
  extraAllowedOrigins: string[];
  /** Unset: plain http on loopback only. */
  plainHttpHosts?: string[];
  requestTimeoutMs: number;
  maxRetries: number;
  retryMaxDelayMs: number;
}

export function loadConnectWiseClientConfig(source: Environment = readEnvironment()): ConnectWiseClientConfig {
  const e = parseEnvironment(schema, source);
  // The same rule the ConnectWise client applies when it is built, checked at boot: a refused origin
  // fails the start, not the partner's first credentials check.
  const problems = e.CW_EXTRA_ALLOWED_ORIGINS.flatMap((origin, i) => {
    const problem = extraOriginProblem(origin, e.CW_PLAIN_HTTP_HOSTS);
    return problem ? [{ variable: 'CW_EXTRA_ALLOWED_ORIGINS', problem: `origin ${i + 1} ${problem}` }] : [];
  });
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    clientId: e.CW_CLIENT_ID,
    extraAllowedOrigins: e.CW_EXTRA_ALLOWED_ORIGINS,
    ...(e.CW_PLAIN_HTTP_HOSTS.length > 0 ? { plainHttpHosts: e.CW_PLAIN_HTTP_HOSTS } : {}),
    requestTimeoutMs: e.CW_REQUEST_TIMEOUT_MS,
    maxRetries: e.CW_MAX_RETRIES,
    retryMaxDelayMs: e.CW_RETRY_MAX_DELAY_MS,
  };
}
