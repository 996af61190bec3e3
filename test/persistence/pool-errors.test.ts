import type { Pool, PoolClient } from 'pg';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../libs/persistence/src';
import { createTestDatabase } from '../support/postgres';

/** Found by the fault suites (RELIABILITY.md, bug 1): a lost connection must never crash the process. */
describe('the PostgreSQL pool', () => {
  // pg-pool listens for errors on idle clients only; a client checked out by a transaction needs its own.
  it('a connection lost while a transaction holds its client does not raise an unhandled error', async () => {
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
