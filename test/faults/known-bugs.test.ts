import type { Pool, PoolClient } from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase } from '@cwx/persistence';
import { createTestDatabase } from '../support/postgres';

/**
 * Bugs found by the fault suites in code this suite may not change, kept as failing tests until they are
 * fixed there. They run only with CWX_KNOWN_BUGS=1, so the default run stays green; each names the fix.
 */
const knownBug = process.env.CWX_KNOWN_BUGS === '1' ? it : it.skip;

describe('known bugs (CWX_KNOWN_BUGS=1)', () => {
  // libs/persistence/src/database.ts openDatabase(): the pool only listens for errors on *idle* clients
  // (`pool.on('error')`). pg-pool removes its idle listener while a client is checked out, e.g. for the
  // whole of a drizzle transaction; a connection lost then (pg_terminate_backend, PostgreSQL restart,
  // network) makes pg's Client emit 'error' with no listener: an uncaught exception that kills the
  // control plane (RecordRunResults, the outbox relay and the mapping use-cases all use transactions).
  // Fix: `pool.on('connect', (client) => client.on('error', () => undefined));` next to pool.on('error').
  knownBug('a connection lost while a transaction holds its client does not raise an unhandled error', async () => {
    const pg = await createTestDatabase('cwx_bug');
    const handle = openDatabase({ driver: 'postgres', url: pg.url });
    const pool = (handle.db as unknown as { $client: Pool }).$client;
    const acquired: PoolClient[] = [];
    pool.on('acquire', (client) => acquired.push(client));
    try {
      const unguarded = await handle.db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        return acquired.filter((c) => c.listenerCount('error') === 0).length;
      });
      expect(unguarded).toBe(0);
    } finally {
      await handle.close();
      await pg.drop();
    }
  });
});
