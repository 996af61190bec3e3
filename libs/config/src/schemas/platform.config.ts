import { z } from 'zod';
import { isLoopbackHost } from '@cwx/outbound';
import { ConfigValidationError } from '../config-error';
import { env, envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = envSchema({
  /** The platform API's base URL. https, or http to a loopback address only (the token travels with it). */
  PLATFORM_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Bearer token for the platform API. Required with PLATFORM_API_URL. A secret: never logged. */
  PLATFORM_API_TOKEN: z.string().min(1).optional(),
  /** A data folder (see libs/platform/README.md) read instead of the API. Default ./data/platform. */
  PLATFORM_DATA_DIR: z.string().min(1).optional(),
  PLATFORM_REQUEST_TIMEOUT_MS: env.int(15000, 1),
  /** Retries of a GET after a network error, a timeout, a 429 or a 5xx. */
  PLATFORM_MAX_RETRIES: env.int(3),
  /** Cap on one backoff wait, in milliseconds. */
  PLATFORM_RETRY_MAX_DELAY_MS: env.int(10000, 1),
});

/** Where the platform's partner data comes from: its HTTP API, or a folder of JSON files. */
export type PlatformConfig =
  | {
      kind: 'http';
      apiUrl: string;
      apiToken: string;
      requestTimeoutMs: number;
      maxRetries: number;
      retryMaxDelayMs: number;
    }
  | { kind: 'folder'; dataDir: string };


export function loadPlatformConfig(source: Environment = readEnvironment()): PlatformConfig {
  const e = parseEnvironment(schema, source);
  if (e.PLATFORM_API_URL === undefined) {
    return { kind: 'folder', dataDir: e.PLATFORM_DATA_DIR ?? './data/platform' };
  }
  const problems = [];
  const url = new URL(e.PLATFORM_API_URL);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    problems.push({ variable: 'PLATFORM_API_URL', problem: 'must use https unless it points to a loopback address' });
  }
  if (e.PLATFORM_API_TOKEN === undefined) {
    problems.push({ variable: 'PLATFORM_API_TOKEN', problem: 'is required when PLATFORM_API_URL is set' });
  }
  if (e.PLATFORM_DATA_DIR !== undefined) {
    problems.push({ variable: 'PLATFORM_DATA_DIR', problem: 'must not be set together with PLATFORM_API_URL' });
  }
  if (problems.length > 0 || e.PLATFORM_API_TOKEN === undefined) throw new ConfigValidationError(problems);
  return {
    kind: 'http',
    apiUrl: e.PLATFORM_API_URL,
    apiToken: e.PLATFORM_API_TOKEN,
    requestTimeoutMs: e.PLATFORM_REQUEST_TIMEOUT_MS,
    maxRetries: e.PLATFORM_MAX_RETRIES,
    retryMaxDelayMs: e.PLATFORM_RETRY_MAX_DELAY_MS,
  };
}
