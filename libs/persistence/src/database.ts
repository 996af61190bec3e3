import { type Extension, PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Pool } from 'pg';
import * as schema from './schema';

/**
 * PGlite's contrib modules are exported by subpath only, which this project's `moduleResolution: node` cannot
 * type; Node resolves them at run time.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

/**
 * The store, whichever driver is under it: node-postgres against a PostgreSQL server (fleet mode) or
 * PGlite, PostgreSQL compiled to WebAssembly, in-process (local mode). One schema, one SQL dialect,
 * the same migrations.
 */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseOptions =
  | { driver: 'postgres'; url: string; poolSize?: number }
  /** `dataDir` undefined keeps the database in memory (tests). */
  | { driver: 'pglite'; dataDir?: string };

export interface DatabaseHandle {
  db: Database;
  driver: DatabaseOptions['driver'];
  /**
   * Applies every migration not yet applied. On PostgreSQL, under an advisory lock: replicas starting
   * together on a new version migrate one after the other (the later ones find nothing left to do).
   */
  migrate(): Promise<void>;
  /** A trivial round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const migrationsFolder = findMigrationsFolder();
  if (options.driver === 'postgres') {
    const pool = new Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // A broken connection (server restart, terminated backend) must not crash the process: the pool
    // reports idle clients' errors on the pool, but a client checked out by a transaction emits its own;
    // the query in flight fails (and is retried by its caller), and the pool replaces the client.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = drizzlePg(pool, { schema });
    return {
      db,
      driver: 'postgres',
      migrate: () => migrateUnderLock(pool, migrationsFolder),
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => pool.end(),
    };
  }
  // pg_trgm backs the mapping list's name search (migration 0005 creates it); PGlite ships it as a module.
  const client = new PGlite({ dataDir: options.dataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema });
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await client.query('select 1');
    },
    close: () => client.close(),
  };
}

/**
 * The advisory lock that serialises migrations (drizzle's migrator takes none: two replicas would both
 * see a migration pending and both apply it, and one fails half way). A 64-bit key of our own.
 */
export const MIGRATION_LOCK_KEY = '7134206719823140311';

async function migrateUnderLock(pool: Pool, migrationsFolder: string): Promise<void> {
  // One connection for the lock and the migration: the lock belongs to the session, and a crashed
  // process's session ends with it, releasing the lock.
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // After a failure the connection is discarded rather than pooled (it might still hold the lock).
    client.release(failure);
  }
}

/**
 * The SQL migrations live in `libs/persistence/migrations` in the repository; the compiled code runs
 * from `dist/`, so the folder is found by walking up from this file.
 */
function findMigrationsFolder(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'libs', 'persistence', 'migrations');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const local = resolve(dir, '..', 'migrations');
    if (existsSync(join(local, 'meta', '_journal.json'))) return local;
    dir = dirname(dir);
  }
  throw new Error('libs/persistence/migrations not found above ' + __dirname);
}
