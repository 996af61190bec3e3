import { z } from 'zod';
import { ConfigValidationError } from '../config-error';
import { env, parseEnvironment, readEnvironment, type Environment } from '../environment';
import { loadConnectwiseClientConfig, type ConnectwiseClientConfig } from './connectwise-client.config';
import { loadMessagingConfig, type MessagingConfig } from './messaging.config';
import { loadPlatformConfig, type PlatformConfig } from './platform.config';

const encryptionKeys = z
  .string()
  .transform((value, ctx) => {
    const keys = new Map<string, Buffer>();
    for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [id, material] = entry.split(':', 2);
      const key = material ? Buffer.from(material, 'base64') : Buffer.alloc(0);
      if (!id || !/^[A-Za-z0-9._-]{1,32}$/.test(id) || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of keyId:base64 32-byte keys' });
        return z.NEVER;
      }
      keys.set(id, key);
    }
    return keys;
  });

const schema = z.object({
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: env.port(3000),
  /** PostgreSQL URL (fleet mode). Without it, PGlite stores the data under LOCAL_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  LOCAL_DATA_DIR: z.string().default('./data'),
  /** HS256 secret the panel signs its bearer tokens with (at least 32 characters). */
  AUTH_JWT_SECRET: z.string().min(32).optional(),
  /** Optional JWKS URL for asymmetric tokens (RS256/ES256). */
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_JWT_ISSUER: z.string().optional(),
  AUTH_JWT_AUDIENCE: z.string().optional(),
  /** `keyId:base64key,...` — AES-256 keys for ConnectWise private keys at rest; old ids stay for decryption. */
  CREDENTIALS_ENCRYPTION_KEYS: encryptionKeys.optional(),
  /** The key id new ciphertexts use; defaults to the last key listed. */
  CREDENTIALS_ACTIVE_KEY_ID: z.string().optional(),
  LOG_LEVEL: env.logLevel(),
});

export interface ControlPlaneConfig {
  http: { host: string; port: number };
  database: { url?: string; localDataDir: string };
  auth: { jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };
  encryption: { keys: ReadonlyMap<string, Buffer>; activeKeyId: string };
  connectwise: ConnectwiseClientConfig;
  platform: PlatformConfig;
  messaging: MessagingConfig;
  logLevel: string;
}

export function loadControlPlaneConfig(source: Environment = readEnvironment()): ControlPlaneConfig {
  const e = parseEnvironment(schema, source);
  const problems: { variable: string; problem: string }[] = [];
  if (!e.AUTH_JWT_SECRET && !e.AUTH_JWKS_URL) {
    problems.push({ variable: 'AUTH_JWT_SECRET', problem: 'is required (or AUTH_JWKS_URL)' });
  }
  const keys = e.CREDENTIALS_ENCRYPTION_KEYS ?? new Map<string, Buffer>();
  if (keys.size === 0) problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEYS', problem: 'is required' });
  const activeKeyId = e.CREDENTIALS_ACTIVE_KEY_ID ?? [...keys.keys()].pop() ?? '';
  if (keys.size > 0 && !keys.has(activeKeyId)) {
    problems.push({ variable: 'CREDENTIALS_ACTIVE_KEY_ID', problem: 'must name one of the CREDENTIALS_ENCRYPTION_KEYS ids' });
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    database: { url: e.DATABASE_URL, localDataDir: e.LOCAL_DATA_DIR },
    auth: { jwtSecret: e.AUTH_JWT_SECRET, jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_JWT_ISSUER, audience: e.AUTH_JWT_AUDIENCE },
    encryption: { keys, activeKeyId },
    connectwise: loadConnectwiseClientConfig(source),
    platform: loadPlatformConfig(source),
    messaging: loadMessagingConfig(source),
    logLevel: e.LOG_LEVEL,
  };
}
