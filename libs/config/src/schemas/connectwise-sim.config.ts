import { z } from 'zod';
import { env, envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = envSchema({
  CW_SIM_HOST: z.string().default('127.0.0.1'),
  CW_SIM_PORT: env.port(4010),
  /** JSON seed file; without it the built-in demo seed is used. */
  CW_SIM_SEED_FILE: z.string().optional(),
  /** The codebase /login/companyinfo answers with (the tenant's versioned codebase). */
  CW_SIM_CODEBASE: z
    .string()
    .regex(/^v\d{4}_\d+\/$/, 'like v2025_1/')
    .default('v2025_1/'),
  /** Requests a minute allowed per ConnectWise company before 429. 0 disables the limit. */
  CW_SIM_RATE_LIMIT_PER_MINUTE: env.int(1000),
  /** Share of API requests answered with a 500 ConnectWiseApi timeout. */
  CW_SIM_FAULT_TIMEOUT_RATE: env.ratio(0),
  /** Share of API requests whose connection is dropped without an answer. */
  CW_SIM_FAULT_DROP_RATE: env.ratio(0),
  /** Latency added to every API request, in milliseconds. */
  CW_SIM_LATENCY_MS: env.int(0),
  LOG_LEVEL: env.logLevel(),
});

export interface ConnectWiseSimConfig {
  host: string;
  port: number;
  seedFile?: string;
  codebase: string;
  rateLimitPerMinute: number;
  faults: { timeoutRate: number; dropRate: number; latencyMs: number };
  logLevel: string;
}

export function loadConnectWiseSimConfig(source: Environment = readEnvironment()): ConnectWiseSimConfig {
  const e = parseEnvironment(schema, source);
  return {
    host: e.CW_SIM_HOST,
    port: e.CW_SIM_PORT,
    seedFile: e.CW_SIM_SEED_FILE,
    codebase: e.CW_SIM_CODEBASE,
    rateLimitPerMinute: e.CW_SIM_RATE_LIMIT_PER_MINUTE,
    faults: {
      timeoutRate: e.CW_SIM_FAULT_TIMEOUT_RATE,
      dropRate: e.CW_SIM_FAULT_DROP_RATE,
      latencyMs: e.CW_SIM_LATENCY_MS,
    },
    logLevel: e.LOG_LEVEL,
  };
}
