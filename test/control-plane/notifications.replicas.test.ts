import { and, eq, gte } from 'drizzle-orm';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { NotificationsConfig } from '@cwx/config';
import { accountMappings, notifications, runs, type Database } from '@cwx/persistence';
import { generatePartner, writePartnerToFolder } from '@cwx/platform-testing';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';
import { createTestDatabase } from '../support/postgres';
import { DATABASE } from '../../apps/control-plane/src/database/database.module';
import { NotificationDispatcher } from '../../apps/control-plane/src/notifications/notification-dispatcher';
import { RecordRunResults } from '../../apps/control-plane/src/runs/record-results.use-cases';

const PARTNER = 'replicas-msp';
const RUNS = 8;

/**
 * Two control-plane replicas on one PostgreSQL database, both dispatching: every result is delivered
 * to both at once (a redelivery racing a second replica), and each run's report still reaches the
 * receiver exactly once. Digests: both replicas try to enqueue the same day's digest; one is sent.
 */
describe('notifications across two replicas (PostgreSQL)', () => {
  let pg: { url: string; drop(): Promise<void> };
  let a: TestControlPlane;
  let b: TestControlPlane;
  let dataDir: string;
  let receiver: Server;
  let secret: string;
  const hooks: { headers: IncomingHttpHeaders; raw: string }[] = [];
  let accounts: { id: string; name: string }[];

  beforeAll(async () => {
    pg = await createTestDatabase('cwx_notify');
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-notify-replicas-'));
    const partner = generatePartner({ partnerId: PARTNER, seed: 5, accounts: 5, skusPerAccount: { min: 1, max: 2 }, usersPerAccount: 1 });
    await writePartnerToFolder(partner, dataDir);
    accounts = partner.accounts.map((x) => ({ id: x.account.id, name: x.account.name }));

    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

    const notificationsConfig: NotificationsConfig = {
      mailDir: join(dataDir, 'mail'),
      from: 'CWX <cwx@test.local>',
      publicBaseUrl: 'https://cwx.example',
      maxAttempts: 3,
      retryBaseMs: 30,
      timeoutMs: 2000,
      dispatcher: true,
      pollIntervalMs: 10,
    };
    // Both replicas share the encryption key, as in production, so either can open the webhook secret.
    const encryption = { keys: new Map([['shared', randomBytes(32)]]), activeKeyId: 'shared' };
    const config = { platform: { kind: 'folder' as const, dataDir }, encryption, notifications: notificationsConfig };
    a = await startTestControlPlane({ database: { url: pg.url }, config });
    b = await startTestControlPlane({ database: { url: pg.url }, config });

    const token = await partnerToken(PARTNER);
    await request(a.app.getHttpServer()).get(`/partners/${PARTNER}/accounts`).auth(token, { type: 'bearer' }).expect(200);
    const db = a.app.get<Database>(DATABASE);
    for (const [i, x] of accounts.entries()) {
      await db
        .update(accountMappings)
        .set({ state: 'mapped', exportEnabled: true, companyId: 10 + i, agreementId: 20 + i })
        .where(and(eq(accountMappings.partnerId, PARTNER), eq(accountMappings.accountId, x.id)));
    }
    const saved = await request(a.app.getHttpServer())
      .put(`/partners/${PARTNER}/integration/notifications`)
      .auth(token, { type: 'bearer' })
      .send({
        emailRecipients: [],
        webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        events: ['run.report'],
        cadence: 'every_run',
        silentWhenUnchanged: false,
      })
      .expect(200);
    secret = saved.body.webhookSecret as string;
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await pg?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('each run is reported once, though every result reached both replicas at the same time', async () => {
    const recordA = a.app.get(RecordRunResults);
    const recordB = b.app.get(RecordRunResults);
    const db = a.app.get<Database>(DATABASE);
    const runIds: string[] = [];
    for (let r = 0; r < RUNS; r++) {
      const runId = randomUUID();
      runIds.push(runId);
      await db.insert(runs).values({ id: runId, partnerId: PARTNER, trigger: 'manual', status: 'queued' });
      await Promise.all([
        recordA.catalogCompleted({ runId, partnerId: PARTNER, status: 'succeeded', catalog: [], operations: [], attempts: 1 }),
        recordB.catalogCompleted({ runId, partnerId: PARTNER, status: 'succeeded', catalog: [], operations: [], attempts: 1 }),
      ]);
      await Promise.all(
        accounts.flatMap((x, i) => {
          const result = {
            runId,
            partnerId: PARTNER,
            accountId: x.id,
            accountName: x.name,
            status: i === r % accounts.length ? ('changed' as const) : ('unchanged' as const),
            operations: [],
            warnings: [],
            attempts: 1,
          };
          return [recordA.accountCompleted(result), recordB.accountCompleted(result)];
        }),
      );
    }

    const sent = await waitUntil('every report sent', async () => {
      const rows = await db.select().from(notifications).where(eq(notifications.partnerId, PARTNER));
      return rows.length === RUNS && rows.every((n) => n.status === 'sent') ? rows : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(sent.every((n) => n.attempts === 1)).toBe(true);
    expect(hooks).toHaveLength(RUNS);
    const reported = hooks.map((h) => (JSON.parse(h.raw) as { data: { runId: string; counts: { examined: number; changed: number } } }).data);
    expect(reported.map((d) => d.runId).sort()).toEqual([...runIds].sort());
    expect(reported.every((d) => d.counts.examined === accounts.length && d.counts.changed === 1)).toBe(true);
    for (const h of hooks) {
      const ts = String(h.headers['x-cwx-timestamp']);
      expect(h.headers['x-cwx-signature']).toBe(`sha256=${createHmac('sha256', secret).update(`${ts}.${h.raw}`).digest('hex')}`);
    }
  }, 60_000);

  it('a daily digest replaces per-run reports and is enqueued once whichever replica gets there', async () => {
    const token = await partnerToken(PARTNER);
    const current = await request(a.app.getHttpServer()).get(`/partners/${PARTNER}/integration/notifications`).auth(token, { type: 'bearer' }).expect(200);
    await request(a.app.getHttpServer())
      .put(`/partners/${PARTNER}/integration/notifications`)
      .auth(token, { type: 'bearer' })
      .send({ version: current.body.version, emailRecipients: [], webhookUrl: current.body.webhookUrl, events: ['run.report'], cadence: 'daily_digest', silentWhenUnchanged: true })
      .expect(200);
    hooks.length = 0;
    const db = a.app.get<Database>(DATABASE);
    const record = a.app.get(RecordRunResults);
    const runId = randomUUID();
    await db.insert(runs).values({ id: runId, partnerId: PARTNER, trigger: 'scheduled', status: 'queued' });
    await record.catalogCompleted({ runId, partnerId: PARTNER, status: 'succeeded', catalog: [], operations: [], attempts: 1 });
    for (const [i, x] of accounts.entries()) {
      await record.accountCompleted({ runId, partnerId: PARTNER, accountId: x.id, accountName: x.name, status: i === 0 ? 'failed' : 'unchanged', operations: [], warnings: [], error: { kind: 'timeout', message: 'no answer' }, attempts: 3 });
    }
    expect((await db.select().from(notifications).where(eq(notifications.subjectKey, `run:${runId}`))).length).toBe(0);

    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const counts = await Promise.all([a.app.get(NotificationDispatcher).enqueueDigests(tomorrow), b.app.get(NotificationDispatcher).enqueueDigests(tomorrow)]);
    expect(counts.reduce((n, c) => n + c, 0)).toBeGreaterThanOrEqual(1);
    const hook = await waitUntil('the digest', () => Promise.resolve(hooks[0]));
    await new Promise((r) => setTimeout(r, 300));
    expect(hooks).toHaveLength(1);
    const digest = JSON.parse(hook.raw) as { data: { period: { label: string }; totals: { runs: number; failed: number }; failures: { accountId: string; runId: string; reason: string }[] } };
    const today = new Date(new Date().toISOString().slice(0, 10));
    const finishedToday = await db.select({ id: runs.id }).from(runs).where(and(eq(runs.partnerId, PARTNER), gte(runs.finishedAt, today)));
    expect(digest.data.period.label).toBe(`daily digest for ${today.toISOString().slice(0, 10)}`);
    expect(digest.data.totals.runs).toBe(finishedToday.length);
    expect(digest.data.totals.failed).toBe(1);
    expect(digest.data.failures).toEqual([expect.objectContaining({ accountId: accounts[0].id, runId, reason: 'timeout: no answer' })]);
  }, 60_000);
});
