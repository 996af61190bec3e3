import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from '../environment';

/** The file local mode keeps its generated secrets in, under LOCAL_DATA_DIR (mode 0600, never committed). */
export const LOCAL_SECRETS_FILE = 'local-secrets.json';

interface LocalSecrets {
  jwtSecret: string;
  encryptionKeyId: string;
  encryptionKey: string;
}

/**
 * Local mode (no DATABASE_URL): a machine with nothing configured still gets a JWT secret and an
 * encryption key, generated once and kept beside the embedded database, so stored credentials stay
 * readable across restarts. Variables that are set win; fleet mode never gets generated secrets.
 */
export function withLocalModeSecrets(source: Environment): Environment {
  if (source.DATABASE_URL) return source;
  if (source.AUTH_JWT_SECRET && source.CREDENTIALS_ENCRYPTION_KEYS) return source;
  const dir = source.LOCAL_DATA_DIR || './data';
  const file = join(dir, LOCAL_SECRETS_FILE);
  let secrets: LocalSecrets;
  if (existsSync(file)) {
    secrets = JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets;
  } else {
    mkdirSync(dir, { recursive: true });
    secrets = { jwtSecret: randomBytes(32).toString('hex'), encryptionKeyId: 'local-1', encryptionKey: randomBytes(32).toString('base64') };
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return {
    ...source,
    AUTH_JWT_SECRET: source.AUTH_JWT_SECRET || secrets.jwtSecret,
    CREDENTIALS_ENCRYPTION_KEYS: source.CREDENTIALS_ENCRYPTION_KEYS || `${secrets.encryptionKeyId}:${secrets.encryptionKey}`,
  };
}
