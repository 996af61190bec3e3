import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigValidationError, type ConfigProblem } from './config-error';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The only place in the code base that reads `process.env`. Everything else receives a typed,
 * validated configuration object built from it at boot. A `.env` file in the working directory, when
 * present, supplies defaults: a variable set in the real environment wins over the file's.
 */
export function readEnvironment(): Environment {
  return { ...readDotEnv(DOT_ENV_FILE), ...process.env };
}

/** The file `readEnvironment` reads beside the process (never committed; `.env.example` shows every variable). */
export const DOT_ENV_FILE = '.env';

/** A dotenv file's variables (Node's own parser: `KEY=value`, quotes, `#` comments); {} when absent. */
export function readDotEnv(path: string): Environment {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8'));
}

/**
 * Validates the variables a schema names and returns the typed result. Error messages name the
 * variable and the rule it broke, never the value it had (it may be a secret).
 */
export function parseEnvironment<S extends z.ZodObject>(schema: S, env: Environment): z.infer<S> {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const result = schema.safeParse(relevant, { reportInput: false });
  if (result.success) return result.data;
  const problems: ConfigProblem[] = result.error.issues.map((issue) => ({
    variable: issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)',
    problem: describeIssue(issue),
  }));
  throw new ConfigValidationError(problems);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    default:
      return 'is invalid';
  }
}

const declared = new Set<string>();

/**
 * A schema of environment variables. Every variable a schema names is recorded, so tests can hold
 * `.env.example` (and docker-compose.yml) to the variables the product actually reads.
 */
export function envSchema<Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape> {
  for (const name of Object.keys(shape)) declared.add(name);
  return z.object(shape);
}

/** Every variable named by a schema of this library (all of them once `@cwx/config` is imported). */
export function declaredVariables(): ReadonlySet<string> {
  return declared;
}

/** Reusable field types for environment variables (all arrive as strings). */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback),
  ratio: (fallback: number) => z.coerce.number().min(0).max(1).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  list: () =>
    z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      ),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
