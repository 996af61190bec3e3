import { z } from 'zod';
import { ConfigValidationError } from '../config-error';
import { envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';

const schema = envSchema({
  /** `control-plane` or `worker` in fleet mode; local mode runs everything in one process. */
  CWX_ROLE: z.enum(['local', 'control-plane', 'worker']).optional(),
  DATABASE_URL: z.string().optional(),
  AMQP_URL: z.string().optional(),
});

export type RuntimeRole = 'local' | 'control-plane' | 'worker';

/**
 * Which process `npm start` runs: without DATABASE_URL and AMQP_URL, local mode (control plane,
 * scheduler, worker and an in-process queue in one process, on PGlite); with both, the fleet role named
 * by CWX_ROLE (default `control-plane`).
 */
export function loadRuntimeRole(source: Environment = readEnvironment()): RuntimeRole {
  const e = parseEnvironment(schema, source);
  const fleet = Boolean(e.DATABASE_URL && e.AMQP_URL);
  const role = e.CWX_ROLE ?? (fleet ? 'control-plane' : 'local');
  if (role !== 'local' && !fleet) {
    throw new ConfigValidationError([{ variable: 'CWX_ROLE', problem: `"${role}" needs DATABASE_URL and AMQP_URL (fleet mode)` }]);
  }
  return role;
}
