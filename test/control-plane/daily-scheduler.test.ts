import { eq } from 'drizzle-orm';
import { connectwiseCredentials, exportSettings, integrations, partners, runs, type DatabaseHandle } from '@cwx/persistence';
import { DATABASE_HANDLE } from '../../apps/control-plane/src/database/database.module';
import { GetIntegrationStatus } from '../../apps/control-plane/src/integration/integration-status.use-case';
import { DailyScheduler } from '../../apps/control-plane/src/scheduler/daily-scheduler';
import { createTestDatabase } from '../support/postgres';
import { startTestControlPlane, type TestControlPlane } from '../support/control-plane';

/** Three control-plane replicas on one PostgreSQL database tick at the same time. */
describe('the daily scheduler across replicas', () => {
  let pg: { url: string; drop(): Promise<void> };
  let replicas: TestControlPlane[];
  let db: DatabaseHandle['db'];

  const schedulers = () => replicas.map((r) => r.app.get(DailyScheduler));
  const runsOf = async (partnerId: string) => db.select().from(runs).where(eq(runs.partnerId, partnerId));

  async function addPartner(partnerId: string, state: 'active' | 'disabled' | 'needs_attention' = 'active'): Promise<void> {
    await db.insert(partners).values({ id: partnerId, name: partnerId });
    await db.insert(integrations).values({ partnerId, state });
    await db.insert(connectwiseCredentials).values({
      partnerId,
      site: 'api-na.myconnectwise.net',
      companyId: 'x',
      publicKey: 'p',
      privateKeyCiphertext: Buffer.from('c'),
      privateKeyIv: Buffer.alloc(12),
      privateKeyTag: Buffer.alloc(16),
      encryptionKeyId: 'k',
      validatedAt: new Date(),
    });
    await db.insert(exportSettings).values({ partnerId, mode: 'daily', dailyTime: '02:00', timeZone: 'Europe/Amsterdam' });
  }

  beforeAll(async () => {
    pg = await createTestDatabase();
    replicas = [];
    for (let i = 0; i < 3; i++) replicas.push(await startTestControlPlane({ database: { url: pg.url } }));
    db = replicas[0].app.get<DatabaseHandle>(DATABASE_HANDLE).db;
  });

  afterAll(async () => {
    for (const r of replicas) await r.close();
    await pg.drop();
  });

  it('starts exactly one run per partner and local day, however many replicas tick', async () => {
    await addPartner('sched-a');
    const beforeTime = new Date('2026-11-26T00:30:00Z'); // 01:30 in Amsterdam
    const afterTime = new Date('2026-11-26T09:00:00Z'); // 10:00 in Amsterdam: past the daily time
    expect((await Promise.all(schedulers().map((s) => s.tick(beforeTime)))).flat()).toEqual([]);

    const started = (await Promise.all(schedulers().map((s) => s.tick(afterTime)))).flat();
    expect(started).toHaveLength(1);
    await Promise.all(schedulers().map((s) => s.tick(new Date('2026-11-26T15:00:00Z'))));
    const rows = await runsOf('sched-a');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ trigger: 'scheduled', scheduledForDate: '2026-11-26', status: 'queued' });
  });

  it('starts the next local day once the previous run is over', async () => {
    await db.update(runs).set({ status: 'succeeded' }).where(eq(runs.partnerId, 'sched-a'));
    // 23:30 UTC on the 26th is already the 27th in Amsterdam, but before 02:00 there: not due.
    await Promise.all(schedulers().map((s) => s.tick(new Date('2026-11-26T23:30:00Z'))));
    expect(await runsOf('sched-a')).toHaveLength(1);
    await Promise.all(schedulers().map((s) => s.tick(new Date('2026-11-27T01:05:00Z'))));
    const rows = await runsOf('sched-a');
    expect(rows.map((r) => r.scheduledForDate).sort()).toEqual(['2026-11-26', '2026-11-27']);
  });

  it('never starts a run for a disabled integration', async () => {
    await addPartner('sched-off', 'disabled');
    await Promise.all(schedulers().map((s) => s.tick(new Date('2026-11-26T09:00:00Z'))));
    expect(await runsOf('sched-off')).toHaveLength(0);
  });

  it('waits while a manual run is active, then runs the day once', async () => {
    await addPartner('sched-busy');
    await db.insert(runs).values({ id: '00000000-0000-4000-8000-000000000001', partnerId: 'sched-busy', trigger: 'manual', status: 'running' });
    await Promise.all(schedulers().map((s) => s.tick(new Date('2026-11-26T09:00:00Z'))));
    expect(await runsOf('sched-busy')).toHaveLength(1);
    await db.update(runs).set({ status: 'succeeded' }).where(eq(runs.partnerId, 'sched-busy'));
    await Promise.all(schedulers().map((s) => s.tick(new Date('2026-11-26T09:01:00Z'))));
    const scheduled = (await runsOf('sched-busy')).filter((r) => r.trigger === 'scheduled');
    expect(scheduled).toHaveLength(1);
  });

  it('shows as the next export exactly the run it then starts', async () => {
    await addPartner('sched-shown');
    const status = replicas[0].app.get(GetIntegrationStatus);
    const shown = await status.execute({ partnerId: 'sched-shown', now: new Date('2026-11-26T00:30:00Z') });
    expect(shown.nextScheduledExport).toMatchObject({ utc: '2026-11-26T01:00:00.000Z', timeZone: 'Europe/Amsterdam' });
    expect(shown.notScheduledReason).toBeNull();
    await Promise.all(schedulers().map((s) => s.tick(new Date('2026-11-26T00:59:59Z'))));
    expect(await runsOf('sched-shown')).toHaveLength(0);
    await Promise.all(schedulers().map((s) => s.tick(new Date(shown.nextScheduledExport!.utc))));
    expect((await runsOf('sched-shown')).map((r) => r.scheduledForDate)).toEqual(['2026-11-26']);
  });

  it('neither starts nor shows a next export for a partner that needs attention', async () => {
    await addPartner('sched-attention', 'needs_attention');
    const now = new Date('2026-11-26T09:00:00Z');
    await Promise.all(schedulers().map((s) => s.tick(now)));
    expect(await runsOf('sched-attention')).toHaveLength(0);
    const shown = await replicas[0].app.get(GetIntegrationStatus).execute({ partnerId: 'sched-attention', now });
    expect(shown).toMatchObject({ state: 'needs_attention', nextScheduledExport: null, notScheduledReason: 'needs_attention' });
  });
});
