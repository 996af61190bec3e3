import { and, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { BOTH_DRIVERS } from '../support/postgres';
import { openDatabase, partners, runs, type DatabaseHandle } from '../../libs/persistence/src';

/** The same behaviour is required of both drivers: fleet mode (PostgreSQL) and local mode (PGlite). */
describe.each(BOTH_DRIVERS)('the store on %s', (_name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const s = await setup();
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    await handle.migrate(); // applying twice is a no-op
  });

  afterAll(async () => {
    await handle.close();
    await cleanup();
  });

  it('answers a ping', async () => {
    await expect(handle.ping()).resolves.toBeUndefined();
  });

  it('fires a scheduled run once per partner and local date', async () => {
    const partnerId = `p-${randomUUID()}`;
    await handle.db.insert(partners).values({ id: partnerId, name: 'Partner' });
    const first = await handle.db
      .insert(runs)
      .values({ id: randomUUID(), partnerId, trigger: 'scheduled', scheduledForDate: '2026-11-26', status: 'succeeded' })
      .onConflictDoNothing()
      .returning();
    const second = await handle.db
      .insert(runs)
      .values({ id: randomUUID(), partnerId, trigger: 'scheduled', scheduledForDate: '2026-11-26', status: 'succeeded' })
      .onConflictDoNothing()
      .returning();
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(0);
    const rows = await handle.db.select().from(runs).where(and(eq(runs.partnerId, partnerId), eq(runs.trigger, 'scheduled')));
    expect(rows).toHaveLength(1);
  });

  it('refuses a second active run for the same partner', async () => {
    const partnerId = `p-${randomUUID()}`;
    await handle.db.insert(partners).values({ id: partnerId, name: 'Partner' });
    await handle.db.insert(runs).values({ id: randomUUID(), partnerId, trigger: 'manual', status: 'running' });
    await expect(
      handle.db.insert(runs).values({ id: randomUUID(), partnerId, trigger: 'manual', status: 'queued' }),
    ).rejects.toThrow();
    // A finished run does not block a new one.
    await handle.db.update(runs).set({ status: 'succeeded' }).where(eq(runs.partnerId, partnerId));
    await expect(
      handle.db.insert(runs).values({ id: randomUUID(), partnerId, trigger: 'manual', status: 'queued' }),
    ).resolves.toBeDefined();
  });
});
