import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/postgres';
import { MIGRATION_LOCK_KEY } from '../../libs/persistence/src/database';
import { openDatabase } from '../../libs/persistence/src';

const JOURNAL = JSON.parse(readFileSync(join(__dirname, '../../libs/persistence/migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };

async function appliedMigrations(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const res = await c.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations');
    return Number(res.rows[0]?.n);
  } finally {
    await c.end();
  }
}

/** Control-plane replicas starting together on a new version, each migrating at boot (fleet mode). */
describe('migrations at boot on PostgreSQL', () => {
  it('four replicas migrating one new database at once all start, and every migration is applied once', async () => {
    const db = await createTestDatabase();
    const replicas = Array.from({ length: 4 }, () => openDatabase({ driver: 'postgres', url: db.url, poolSize: 2 }));
    try {
      const outcomes = await Promise.allSettled(replicas.map((r) => r.migrate()));
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(await appliedMigrations(db.url)).toBe(JOURNAL.entries.length);
      await Promise.all(replicas.map((r) => r.ping()));
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await db.drop();
    }
  });

  it('a replica waits while another holds the migration lock, then finds the work done', async () => {
    const db = await createTestDatabase();
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    const replica = openDatabase({ driver: 'postgres', url: db.url, poolSize: 2 });
    try {
      await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let finished = false;
      const migrating = replica.migrate().then(() => (finished = true));
      await new Promise((r) => setTimeout(r, 500));
      expect(finished).toBe(false); // blocked on the lock, nothing applied yet
      const waiting = await holder.query<{ n: string }>(
        "select count(*) as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
      );
      expect(Number(waiting.rows[0]?.n)).toBe(1);
      await holder.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await migrating;
      expect(await appliedMigrations(db.url)).toBe(JOURNAL.entries.length);
      // the lock was released: another session takes it at once
      const again = await holder.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [MIGRATION_LOCK_KEY]);
      expect(again.rows[0]?.ok).toBe(true);
    } finally {
      await holder.end();
      await replica.close();
      await db.drop();
    }
  });
});
