import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server every machine of this project runs (trust auth). Override with TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates a fresh, uniquely named database for one test suite and returns its URL and a dropper. */
export async function createTestDatabase(prefix = 'cwx_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/** A store to open per driver, and how to remove it afterwards. */
export interface DriverSetup {
  options: { driver: 'pglite' } | { driver: 'postgres'; url: string; poolSize?: number };
  cleanup(): Promise<void>;
}

/**
 * The two drivers the product runs on — fleet mode (PostgreSQL, a fresh database) and local mode (PGlite in
 * memory) — as `describe.each` rows, for behaviour that both must show.
 */
export const BOTH_DRIVERS: [string, (poolSize?: number) => Promise<DriverSetup>][] = [
  ['PGlite', () => Promise.resolve({ options: { driver: 'pglite' }, cleanup: () => Promise.resolve() })],
  [
    'PostgreSQL',
    async (poolSize?: number) => {
      const testDb = await createTestDatabase();
      return { options: { driver: 'postgres', url: testDb.url, ...(poolSize ? { poolSize } : {}) }, cleanup: () => testDb.drop() };
    },
  ],
];
