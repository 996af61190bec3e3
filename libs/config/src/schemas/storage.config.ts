import { z } from 'zod';
import { ConfigValidationError, type ConfigProblem } from '../config-error';
import { envSchema, parseEnvironment, readEnvironment, type Environment } from '../environment';

const encryptionKeys = z.string().transform((value, ctx) => {
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

const schema = envSchema({
  /** PostgreSQL URL (fleet mode). Without it, PGlite stores the data under LOCAL_DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  LOCAL_DATA_DIR: z.string().default('./data'),
  /** `keyId:base64key,...` — AES-256 keys for ConnectWise private keys at rest; old ids stay for decryption. */
  CREDENTIALS_ENCRYPTION_KEYS: encryptionKeys.optional(),
  /** The key id new ciphertexts use; defaults to the last key listed. */
  CREDENTIALS_ACTIVE_KEY_ID: z.string().optional(),
});

export interface StorageConfig {
  database: { url?: string; localDataDir: string };
  encryption: { keys: ReadonlyMap<string, Buffer>; activeKeyId: string };
}

/** Where data lives and the keys that seal secrets in it; shared by the control plane and the worker. */
export function loadStorageConfig(source: Environment = readEnvironment()): StorageConfig {
  const e = parseEnvironment(schema, source);
  const problems: ConfigProblem[] = [];
  const keys = e.CREDENTIALS_ENCRYPTION_KEYS ?? new Map<string, Buffer>();
  if (keys.size === 0) problems.push({ variable: 'CREDENTIALS_ENCRYPTION_KEYS', problem: 'is required' });
  const activeKeyId = e.CREDENTIALS_ACTIVE_KEY_ID ?? [...keys.keys()].pop() ?? '';
  if (keys.size > 0 && !keys.has(activeKeyId)) {
    problems.push({ variable: 'CREDENTIALS_ACTIVE_KEY_ID', problem: 'must name one of the CREDENTIALS_ENCRYPTION_KEYS ids' });
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { database: { url: e.DATABASE_URL, localDataDir: e.LOCAL_DATA_DIR }, encryption: { keys, activeKeyId } };
}
