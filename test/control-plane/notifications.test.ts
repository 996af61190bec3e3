import { and, eq } from 'drizzle-orm';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import type { AccountCompleted, ResultWarning } from '@cwx/messaging';
import { accountMappings, notifications, runs, type Database } from '@cwx/persistence';
import { generatePartner, writePartnerToFolder, type GeneratedPartner } from '@cwx/platform-testing';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';
import { DATABASE } from '../../apps/control-plane/src/database/database.module';
import { NotificationTriggers } from '../../apps/control-plane/src/notifications/notification-triggers';
import { RecordRunResults } from '../../apps/control-plane/src/runs/record-results.use-cases';

const ALL_EVENTS = ['run.report', 'run.failed', 'credentials.rejected', 'account.failing', 'accounts.unmapped', 'suggestions.pending'];
const PARTNERS = ['n-report', 'n-dupes', 'n-retry', 'n-giveup', 'n-alerts', 'n-streak', 'n-quiet', 'n-disabled', 'n-statement', 'n-settings'];
const HOSTILE_SKU_NAME = '=HYPERLINK("http://evil.example","click")';

interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { type: string; body: string }[];
  raw: string;
}

interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

/** Reads a MIME message as nodemailer writes it: headers, then quoted-printable or base64 parts. */
function parseMail(raw: string, to: string[]): Mail {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((m) => m[1]);
  let segments = [raw];
  for (const b of boundaries) segments = segments.flatMap((s) => s.split(`--${b}`));
  const parts: { type: string; body: string; attachment: boolean }[] = [];
  for (const segment of segments) {
    const split = /\r?\n\r?\n/.exec(segment);
    if (!split) continue;
    const head = segment.slice(0, split.index);
    let body = segment.slice(split.index + split[0].length).replace(/\r?\n--\s*$/, '').trim();
    const type = /content-type:\s*([^;\r\n]+)/i.exec(head)?.[1]?.toLowerCase();
    if (!type || type.startsWith('multipart')) continue;
    const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
    if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    }
    parts.push({ type, body, attachment: /content-disposition:\s*attachment/i.test(head) });
  }
  const subject = /^subject:\s*(.*)$/im.exec(raw)?.[1] ?? '';
  return {
    to,
    subject,
    text: parts.find((p) => p.type === 'text/plain' && !p.attachment)?.body ?? '',
    html: parts.find((p) => p.type === 'text/html' && !p.attachment)?.body ?? '',
    attachments: parts.filter((p) => p.attachment),
    raw,
  };
}

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

/**
 * Reports and alerts end to end: a real SMTP server and a real HTTP receiver on localhost, results
 * recorded through the result consumer's use-case exactly as workers' messages are, the dispatcher
 * running as in production (fast retry timings).
 */
describe('notifications: reports and alerts', () => {
  let cp: TestControlPlane;
  let db: Database;
  let record: RecordRunResults;
  let dataDir: string;
  let smtp: SMTPServer;
  let receiver: Server;
  let hookBase: string;
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  /** Per receiver path: how many requests to answer 500 (Infinity: always). */
  const failures = new Map<string, number>();
  let smtpRefuses = false;
  const accountsOf = new Map<string, { id: string; name: string }[]>();
  const generated = new Map<string, GeneratedPartner>();
  const secrets = new Map<string, string>();

  const http = () => request(cp.app.getHttpServer());
  const tokens = new Map<string, string>();
  const as = (partnerId: string, req: request.Test) => req.auth(tokens.get(partnerId)!, { type: 'bearer' });
  const mailsTo = (address: string) => mails.filter((m) => m.to.includes(address));
  const hooksAt = (partnerId: string) => hooks.filter((h) => h.path === `/hook/${partnerId}`);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-notify-'));
    for (const [i, partnerId] of PARTNERS.entries()) {
      tokens.set(partnerId, await partnerToken(partnerId));
      const partner = generatePartner({ partnerId, seed: 10 + i, accounts: 4, skusPerAccount: { min: 2, max: 3 }, usersPerAccount: 1 });
      if (partnerId === 'n-statement') {
        const sku = partner.accounts[0].subscriptions[0].sku;
        partner.skus = partner.skus.map((s) => (s.sku === sku ? { ...s, name: HOSTILE_SKU_NAME } : s));
      }
      await writePartnerToFolder(partner, dataDir);
      generated.set(partnerId, partner);
      accountsOf.set(
        partnerId,
        partner.accounts.map((a) => ({ id: a.account.id, name: a.account.name })),
      );
    }

    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(_address, _session, callback) {
        if (smtpRefuses) {
          const error = new Error('mailbox unavailable') as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        hooks.push({ path, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        const left = failures.get(path) ?? 0;
        if (left > 0) {
          failures.set(path, left - 1);
          res.writeHead(500).end('not now');
        } else {
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    cp = await startTestControlPlane({
      config: {
        platform: { kind: 'folder', dataDir },
        notifications: {
          smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
          mailDir: join(dataDir, 'mail-unused'),
          from: 'CWX reports <reports@cwx.test>',
          publicBaseUrl: 'https://cwx.example',
          maxAttempts: 4,
          retryBaseMs: 40,
          timeoutMs: 2000,
          dispatcher: true,
          pollIntervalMs: 20,
        },
      },
    });
    db = cp.app.get<Database>(DATABASE);
    record = cp.app.get(RecordRunResults);
  });

  afterAll(async () => {
    await cp?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The partner's accounts read from the platform; the first `mapped` mapped with Export on. */
  async function setUp(partnerId: string, options: { mapped?: number; events?: string[]; webhook?: boolean; silent?: boolean; threshold?: number } = {}) {
    await as(partnerId, http().get(`/partners/${partnerId}/accounts`)).expect(200);
    const accounts = accountsOf.get(partnerId)!;
    for (const [i, a] of accounts.slice(0, options.mapped ?? 3).entries()) {
      await db
        .update(accountMappings)
        .set({ state: 'mapped', exportEnabled: true, companyId: 100 + i, agreementId: 200 + i })
        .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, a.id)));
    }
    const saved = await as(partnerId, http().put(`/partners/${partnerId}/integration/notifications`))
      .send({
        emailRecipients: [`ops@${partnerId}.test`],
        webhookUrl: options.webhook === false ? null : `${hookBase}/hook/${partnerId}`,
        events: options.events ?? ALL_EVENTS,
        cadence: 'every_run',
        silentWhenUnchanged: options.silent ?? true,
        ...(options.threshold ? { failingRunsThreshold: options.threshold } : {}),
      })
      .expect(200);
    if (saved.body.webhookSecret) secrets.set(partnerId, saved.body.webhookSecret as string);
    return accounts;
  }

  /** A run whose catalog phase is done: it waits for one result per mapped account. */
  async function startRun(partnerId: string): Promise<string> {
    const runId = randomUUID();
    await db.insert(runs).values({ id: runId, partnerId, trigger: 'manual', status: 'queued' });
    await record.catalogCompleted({ runId, partnerId, status: 'succeeded', catalog: [], operations: [], attempts: 1 });
    return runId;
  }

  const changed = (runId: string, partnerId: string, a: { id: string; name: string }, sku: string, warnings: ResultWarning[] = []): AccountCompleted => ({
    runId,
    partnerId,
    accountId: a.id,
    accountName: a.name,
    status: 'changed',
    operations: [
      {
        entity: 'addition',
        action: 'update',
        id: 77,
        sku,
        changes: [
          { field: 'quantity', before: 2, after: 12 },
          { field: 'unitPrice', before: 10, after: 10 },
        ],
      },
    ],
    warnings,
    attempts: 1,
  });
  const unchanged = (runId: string, partnerId: string, a: { id: string; name: string }): AccountCompleted => ({
    runId,
    partnerId,
    accountId: a.id,
    accountName: a.name,
    status: 'unchanged',
    operations: [],
    warnings: [],
    attempts: 1,
  });
  const failed = (runId: string, partnerId: string, a: { id: string; name: string }, message = 'Quantity is locked'): AccountCompleted => ({
    runId,
    partnerId,
    accountId: a.id,
    accountName: a.name,
    status: 'failed',
    operations: [],
    warnings: [],
    error: { kind: 'invalid', code: 'InvalidObject', message, status: 400 },
    attempts: 2,
  });

  async function rowsFor(partnerId: string) {
    return db.select().from(notifications).where(eq(notifications.partnerId, partnerId));
  }

  async function deliveriesOf(partnerId: string) {
    const res = await as(partnerId, http().get(`/partners/${partnerId}/integration/notifications/deliveries`)).expect(200);
    return res.body.items as { id: number; channel: string; event: string; subject: string; status: string; attempts: number; lastStatusCode: number | null; lastError: string | null; deliveries: { attempt: number; ok: boolean; statusCode: number | null; error: string | null }[] }[];
  }

  it('settings: validated (bad URL, plain http to a remote host, unknown event → 400); the secret is shown once; a stale version gets 409', async () => {
    const p = 'n-settings';
    const put = async (body: object) => as(p, http().put(`/partners/${p}/integration/notifications`)).send(body);
    const base = { emailRecipients: ['a@b.test'], events: ['run.report'], cadence: 'every_run', silentWhenUnchanged: true };

    const defaults = await as(p, http().get(`/partners/${p}/integration/notifications`)).expect(200);
    expect(defaults.body).toMatchObject({ version: 0, emailRecipients: [], webhookUrl: null, webhookSecretSet: false, cadence: 'every_run', failingRunsThreshold: 3 });

    const badUrl = await put({ ...base, webhookUrl: 'not a url' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.code).toBe('validation_failed');
    expect(badUrl.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'webhookUrl', reason: expect.any(String) })]));
    expect(JSON.stringify(badUrl.body)).toContain('webhookUrl');

    const remoteHttp = await put({ ...base, webhookUrl: 'http://hooks.example.com/cwx' });
    expect(remoteHttp.status).toBe(400);
    expect(JSON.stringify(remoteHttp.body)).toMatch(/webhookUrl.*https/);

    const withPassword = await put({ ...base, webhookUrl: 'https://user:pw@hooks.example.com/cwx' });
    expect(withPassword.status).toBe(400);

    const unknownEvent = await put({ ...base, events: ['run.report', 'run.exploded'] });
    expect(unknownEvent.status).toBe(400);
    expect(JSON.stringify(unknownEvent.body)).toContain('events');

    const badEmail = await put({ ...base, emailRecipients: ['not-an-address'] });
    expect(badEmail.status).toBe(400);

    const badCadence = await put({ ...base, cadence: 'hourly' });
    expect(badCadence.status).toBe(400);

    const created = await put({ ...base, webhookUrl: 'https://hooks.example.com/cwx' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ version: 1, webhookUrl: 'https://hooks.example.com/cwx', webhookSecretSet: true });
    expect(created.body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);

    const read = await as(p, http().get(`/partners/${p}/integration/notifications`)).expect(200);
    expect(read.body.webhookSecretSet).toBe(true);
    expect(read.body.webhookSecret).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(created.body.webhookSecret);

    const stale = await put({ ...base, version: 0, webhookUrl: 'https://hooks.example.com/cwx' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('version_mismatch');

    const kept = await put({ ...base, version: 1, webhookUrl: 'https://hooks.example.com/other' });
    expect(kept.status).toBe(200);
    expect(kept.body.webhookSecret).toBeUndefined(); // the secret stays; it is not shown again

    const rotated = await as(p, http().post(`/partners/${p}/integration/notifications/webhook-secret`)).send({ version: 2 }).expect(200);
    expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.body.webhookSecret).not.toBe(created.body.webhookSecret);

    const loopback = await put({ ...base, version: 3, webhookUrl: 'http://127.0.0.1:9/hook' });
    expect(loopback.status).toBe(200);

    // Another partner never sees these settings.
    const other = await as('n-report', http().get(`/partners/${p}/integration/notifications`));
    expect(other.status).toBe(404);
  });

  it('after a run: one e-mail and one signed webhook with the counts, the largest changes, each failure with its reason and the log link', async () => {
    const p = 'n-report';
    const [a, b, c] = await setUp(p);
    const runId = await startRun(p);
    const skippedSku = { code: 'no-catalog-item', sku: 'SKU-ODD', message: 'SKU-ODD has no usable catalog item; it was not billed.' };
    await record.accountCompleted(changed(runId, p, a, 'SKU-BIG', [skippedSku]));
    await record.accountCompleted(unchanged(runId, p, b));
    await record.accountCompleted(failed(runId, p, c));

    const mail = await waitUntil('the report e-mail', () => mailsTo(`ops@${p}.test`).find((m) => m.subject.includes('export')));
    const lines = mail.text.split(/\r?\n/);
    expect(lines.slice(lines.indexOf('Warnings:'))[1]).toBe(`  ${a.name} (${a.id}): no-catalog-item SKU-ODD: SKU-ODD has no usable catalog item; it was not billed.`);
    expect(mail.text).toContain('Catalog: unchanged');
    expect(mail.html).toContain('<h2>Warnings</h2>');
    expect(mail.subject).toContain('partially failed');
    expect(mail.text).toContain('Accounts examined: 3');
    expect(mail.text).toContain('Changed: 1');
    expect(mail.text).toContain('Unchanged: 1');
    expect(mail.text).toContain('Failed: 1');
    expect(mail.text).toContain(`${c.name} (${c.id}): InvalidObject, HTTP 400: Quantity is locked`);
    expect(mail.text).toContain(`${a.name} — SKU-BIG: update 2 → 12 × 10 (+100.00)`);
    const logUrl = `https://cwx.example/partners/${p}/runs/${runId}/log`;
    expect(mail.text).toContain(logUrl);
    expect(mail.html).toContain(`href="${logUrl}"`);
    expect(mail.html).toContain('Quantity is locked');
    expect(mail.html).toContain('+100.00');

    const hook = await waitUntil('the report webhook', () => hooksAt(p).find((h) => h.headers['x-cwx-event'] === 'run.report'));
    const timestamp = String(hook.headers['x-cwx-timestamp']);
    const expected = `sha256=${createHmac('sha256', secrets.get(p)!).update(`${timestamp}.${hook.raw}`).digest('hex')}`;
    expect(hook.headers['x-cwx-signature']).toBe(expected);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    // A body changed in transit no longer matches.
    expect(createHmac('sha256', secrets.get(p)!).update(`${timestamp}.${hook.raw.replace('"failed":1', '"failed":0')}`).digest('hex')).not.toBe(expected.slice(7));
    const body = JSON.parse(hook.raw);
    expect(body).toMatchObject({ event: 'run.report', partnerId: p, data: { runId, status: 'partially_failed', counts: { examined: 3, changed: 1, unchanged: 1, failed: 1 }, logUrl } });
    expect(body.data.failures).toEqual([{ accountId: c.id, accountName: c.name, reason: 'InvalidObject, HTTP 400: Quantity is locked' }]);
    expect(body.data.largestChanges[0]).toMatchObject({ accountId: a.id, sku: 'SKU-BIG', amountDelta: 100 });
    expect(body.data.warnings).toEqual([{ accountId: a.id, accountName: a.name, ...skippedSku }]);
    expect(hook.headers['x-cwx-delivery']).toBe(String(body.id));

    // A partially failed run is not a failed run: no run.failed alert.
    await settle();
    expect((await rowsFor(p)).map((r) => `${r.channel}:${r.event}`).sort()).toEqual(
      expect.arrayContaining(['email:run.report', 'webhook:run.report']),
    );
    expect((await rowsFor(p)).some((r) => r.event === 'run.failed')).toBe(false);
  });

  it('a redelivered result, a second catalog result and a concurrent duplicate send nothing twice', async () => {
    const p = 'n-dupes';
    const [a, b, c] = await setUp(p, { events: ['run.report'] });
    const runId = await startRun(p);
    await record.catalogCompleted({ runId, partnerId: p, status: 'succeeded', catalog: [], operations: [], attempts: 1 }); // redelivered: no second fan-out
    await record.accountCompleted(changed(runId, p, a, 'SKU-1'));
    await record.accountCompleted(changed(runId, p, a, 'SKU-1'));
    await record.accountCompleted(unchanged(runId, p, b));
    // The last result arrives twice at once, as from two replicas.
    await Promise.all([record.accountCompleted(unchanged(runId, p, c)), record.accountCompleted(unchanged(runId, p, c))]);
    await record.accountCompleted(unchanged(runId, p, c));

    await waitUntil('the report e-mail', () => mailsTo(`ops@${p}.test`)[0]);
    await waitUntil('the report webhook', () => hooksAt(p)[0]);
    await settle(600);
    expect(mailsTo(`ops@${p}.test`)).toHaveLength(1);
    expect(hooksAt(p)).toHaveLength(1);
    const rows = await rowsFor(p);
    expect(rows.map((r) => `${r.channel}:${r.event}:${r.subjectKey}`).sort()).toEqual([`email:run.report:run:${runId}`, `webhook:run.report:run:${runId}`]);
    const [run] = await db.select().from(runs).where(eq(runs.id, runId));
    expect(run).toMatchObject({ status: 'succeeded', doneAccounts: 3, changedAccounts: 1 });
  });

  it('a webhook answering 500 twice is retried with backoff: three attempts recorded, then sent', async () => {
    const p = 'n-retry';
    const [a, b, c] = await setUp(p, { events: ['run.report'] });
    failures.set(`/hook/${p}`, 2);
    const runId = await startRun(p);
    await record.accountCompleted(changed(runId, p, a, 'SKU-1'));
    await record.accountCompleted(unchanged(runId, p, b));
    await record.accountCompleted(unchanged(runId, p, c));

    const webhook = await waitUntil('the webhook sent', async () => (await deliveriesOf(p)).find((n) => n.channel === 'webhook' && n.status === 'sent'));
    expect(webhook.attempts).toBe(3);
    expect(webhook.lastStatusCode).toBe(204);
    expect(webhook.deliveries.map((d) => [d.attempt, d.ok, d.statusCode])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 204],
    ]);
    expect(webhook.deliveries[0].error).toContain('500');
    const received = hooksAt(p);
    expect(received).toHaveLength(3);
    // Every attempt is the same delivery, signed afresh.
    expect(new Set(received.map((h) => h.headers['x-cwx-delivery'])).size).toBe(1);
    const email = (await deliveriesOf(p)).find((n) => n.channel === 'email')!;
    expect(email).toMatchObject({ status: 'sent', attempts: 1, lastStatusCode: 250 });
  });

  it('a receiver that never accepts and a mail server that refuses are given up after the bounded attempts; the export is not affected', async () => {
    const p = 'n-giveup';
    const [a, b, c] = await setUp(p, { events: ['run.report'] });
    failures.set(`/hook/${p}`, Infinity);
    smtpRefuses = true;
    try {
      const runId = await startRun(p);
      await record.accountCompleted(changed(runId, p, a, 'SKU-1'));
      await record.accountCompleted(unchanged(runId, p, b));
      await record.accountCompleted(unchanged(runId, p, c));
      // The run closed at once, whatever happens to its report.
      const [run] = await db.select().from(runs).where(eq(runs.id, runId));
      expect(run.status).toBe('succeeded');

      const done = await waitUntil('both given up', async () => {
        const items = await deliveriesOf(p);
        return items.length === 2 && items.every((n) => n.status === 'failed') ? items : undefined;
      });
      for (const n of done) {
        expect(n.attempts).toBe(4);
        expect(n.deliveries).toHaveLength(4);
        expect(n.deliveries.every((d) => !d.ok)).toBe(true);
      }
      expect(done.find((n) => n.channel === 'webhook')!.lastStatusCode).toBe(500);
      const email = done.find((n) => n.channel === 'email')!;
      expect(email.lastStatusCode).toBe(550);
      expect(email.lastError).toContain('mailbox unavailable');
      expect(hooksAt(p)).toHaveLength(4);
    } finally {
      smtpRefuses = false;
      failures.delete(`/hook/${p}`);
    }
  });

  it('alerts: rejected credentials fail the run and say so; accounts not mapped are named at run start', async () => {
    const p = 'n-alerts';
    const accounts = await setUp(p, { webhook: false, events: ['run.failed', 'credentials.rejected', 'accounts.unmapped'] });
    const runId = randomUUID();
    await db.insert(runs).values({ id: runId, partnerId: p, trigger: 'scheduled', status: 'queued' });
    await record.catalogCompleted({ runId, partnerId: p, status: 'failed', catalog: [], operations: [], attempts: 1, error: { kind: 'unauthorized', message: 'Incorrect public/private key' } });

    const credentials = await waitUntil('the credentials alert', () => mailsTo(`ops@${p}.test`).find((m) => m.subject.includes('rejected the stored credentials')));
    expect(credentials.text).toContain('Incorrect public/private key');
    expect(credentials.text).toContain('Exports are stopped');
    const runFailed = await waitUntil('the run-failed alert', () => mailsTo(`ops@${p}.test`).find((m) => m.subject.includes('export failed')));
    expect(runFailed.text).toContain(`Run ${runId}: ConnectWise rejected the credentials`);
    expect(runFailed.text).toContain(`https://cwx.example/partners/${p}/runs/${runId}/log`);

    // A second run with the same accounts unmapped: the unmapped account is named once per distinct set.
    const second = await startRun(p);
    const third = randomUUID();
    await record.accountCompleted(unchanged(second, p, accounts[0]));
    await record.accountCompleted(unchanged(second, p, accounts[1]));
    await record.accountCompleted(unchanged(second, p, accounts[2]));
    await db.insert(runs).values({ id: third, partnerId: p, trigger: 'manual', status: 'queued' });
    await record.catalogCompleted({ runId: third, partnerId: p, status: 'succeeded', catalog: [], operations: [], attempts: 1 });
    const unmapped = await waitUntil('the unmapped alert', () => mailsTo(`ops@${p}.test`).find((m) => m.subject.includes('not mapped')));
    expect(unmapped.subject).toContain('1 customer account(s) not mapped');
    expect(unmapped.text).toContain(`${accounts[3].name} (${accounts[3].id})`);
    await settle();
    expect(mailsTo(`ops@${p}.test`).filter((m) => m.subject.includes('not mapped'))).toHaveLength(1);
    // Events the partner did not choose are not sent: no report for the succeeded run.
    expect(mailsTo(`ops@${p}.test`).filter((m) => m.subject.includes('export succeeded'))).toHaveLength(0);
  });

  it('alerts: an account failing on 3 consecutive runs, once per streak; suggestions waiting for confirmation', async () => {
    const p = 'n-streak';
    const [a, b] = await setUp(p, { mapped: 2, webhook: false, events: ['account.failing', 'suggestions.pending'], threshold: 3 });
    const runOnce = async (aFails: boolean) => {
      const runId = await startRun(p);
      await record.accountCompleted(aFails ? failed(runId, p, a, 'Agreement is closed') : unchanged(runId, p, a));
      await record.accountCompleted(unchanged(runId, p, b));
      return runId;
    };
    await runOnce(true);
    await runOnce(false); // breaks the streak
    await runOnce(true);
    await runOnce(true);
    await settle();
    expect(mailsTo(`ops@${p}.test`).filter((m) => m.subject.includes('consecutive'))).toHaveLength(0);
    const third = await runOnce(true);
    const alert = await waitUntil('the failing-account alert', () => mailsTo(`ops@${p}.test`).find((m) => m.subject.includes('consecutive')));
    expect(alert.subject).toContain('1 account(s) failed on 3 consecutive exports');
    expect(alert.text).toContain(`${a.name} (${a.id}): InvalidObject, HTTP 400: Agreement is closed`);
    expect(alert.text).toContain(`/runs/${third}/log`);
    await runOnce(true); // the streak goes on: no second alert
    await settle();
    expect(mailsTo(`ops@${p}.test`).filter((m) => m.subject.includes('consecutive'))).toHaveLength(1);

    // A suggestion fill left suggestions waiting (the fill itself needs ConnectWise; its hook is called as it calls it).
    const accounts = accountsOf.get(p)!;
    await db
      .update(accountMappings)
      .set({ state: 'suggested', suggestedCompanyId: 4242, suggestedCompanyName: 'Acme Holdings', suggestionScore: 0.93 })
      .where(and(eq(accountMappings.partnerId, p), eq(accountMappings.accountId, accounts[2].id)));
    const triggers = cp.app.get(NotificationTriggers);
    await db.transaction((tx) => triggers.suggestionsFilled(tx, p));
    await db.transaction((tx) => triggers.suggestionsFilled(tx, p)); // the same suggestions: no second alert
    const suggestions = await waitUntil('the suggestions alert', () => mailsTo(`ops@${p}.test`).find((m) => m.subject.includes('suggested mapping')));
    expect(suggestions.text).toContain(`${accounts[2].name} (${accounts[2].id}) → Acme Holdings (confidence 93%)`);
    await settle();
    expect(mailsTo(`ops@${p}.test`).filter((m) => m.subject.includes('suggested mapping'))).toHaveLength(1);
  });

  it('silence when nothing changed: no report for an unchanged run unless asked for', async () => {
    const p = 'n-quiet';
    const [a, b, c] = await setUp(p, { events: ['run.report'], silent: true });
    const quiet = await startRun(p);
    for (const x of [a, b, c]) await record.accountCompleted(unchanged(quiet, p, x));
    await settle();
    expect(await rowsFor(p)).toHaveLength(0);

    const current = await as(p, http().get(`/partners/${p}/integration/notifications`)).expect(200);
    await as(p, http().put(`/partners/${p}/integration/notifications`))
      .send({ version: current.body.version, emailRecipients: [`ops@${p}.test`], webhookUrl: null, events: ['run.report'], cadence: 'every_run', silentWhenUnchanged: false })
      .expect(200);
    const loud = await startRun(p);
    for (const x of [a, b, c]) await record.accountCompleted(unchanged(loud, p, x));
    const mail = await waitUntil('the report', () => mailsTo(`ops@${p}.test`)[0]);
    expect(mail.subject).toContain('succeeded: 0 changed, 0 failed of 3');
    // Removing the webhook removed its secret.
    expect((await as(p, http().get(`/partners/${p}/integration/notifications`)).expect(200)).body.webhookSecretSet).toBe(false);
  });

  it('nothing is sent for a disabled integration: no new notification, pending ones suppressed, statements refused', async () => {
    const p = 'n-disabled';
    const [a, b, c] = await setUp(p, { events: ['run.report', 'run.failed', 'credentials.rejected', 'account.failing'] });
    // A notification already queued when the partner disables.
    const earlier = await startRun(p);
    await db.insert(notifications).values({ partnerId: p, channel: 'email', event: 'run.report', subjectKey: 'run:queued-before-disable', recipients: [`ops@${p}.test`], payload: { runId: earlier }, nextAttemptAt: new Date(Date.now() + 1000) });
    await as(p, http().post(`/partners/${p}/integration/disable`)).expect(200);
    await record.accountCompleted(changed(earlier, p, a, 'SKU-1'));
    await record.accountCompleted(failed(earlier, p, b));
    await record.accountCompleted(unchanged(earlier, p, c));
    const runId = randomUUID();
    await db.insert(runs).values({ id: runId, partnerId: p, trigger: 'manual', status: 'queued' });
    await record.catalogCompleted({ runId, partnerId: p, status: 'failed', catalog: [], operations: [], attempts: 1, error: { kind: 'unauthorized', message: 'keys erased' } });

    const suppressed = await waitUntil('the queued one suppressed', async () => (await rowsFor(p)).find((r) => r.status === 'suppressed'));
    expect(suppressed.lastError).toContain('disabled');
    await settle();
    // Only the row queued before the partner disabled exists, suppressed; nothing after it is written.
    expect((await rowsFor(p)).map((r) => [r.subjectKey, r.status])).toEqual([['run:queued-before-disable', 'suppressed']]);
    expect(mailsTo(`ops@${p}.test`)).toHaveLength(0);
    expect(hooksAt(p)).toHaveLength(0);

    const send = await as(p, http().post(`/partners/${p}/accounts/${a.id}/statement/send`)).send({ to: `ops@${p}.test` });
    expect(send.status).toBe(409);
    expect(send.body.code).toBe('integration_disabled');
  });

  it('statement: the account SKUs, quantities and retail prices as CSV (formula cells neutralised) and HTML (escaped); sent to a billing contact', async () => {
    const p = 'n-statement';
    const [a] = await setUp(p, { webhook: false, events: [] });

    const csv = await as(p, http().get(`/partners/${p}/accounts/${a.id}/statement`)).query({ format: 'csv' }).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain(`statement-${a.id}.csv`);
    const rows: string[][] = parse(csv.text.replace(/^\uFEFF/, ''), {});
    expect(rows[0]).toEqual(['SKU', 'Product', 'Unit', 'Quantity', 'Unit price', 'Amount', 'Currency']);
    const lines = rows.slice(1, -1);
    const subscriptions = generated.get(p)!.accounts[0].subscriptions;
    expect(lines.map((l) => l[0]).sort()).toEqual([...new Set(subscriptions.map((x) => x.sku))].sort());
    expect(lines.map((l) => l[1])).toContain(`'${HOSTILE_SKU_NAME}`);
    expect(rows.flat().some((cell) => /^[=+\-@\t\r]/.test(cell))).toBe(false);
    for (const [sku, , , qty, price, amount] of lines) {
      const expectedQty = subscriptions.filter((x) => x.sku === sku).reduce((n, x) => n + x.quantity, 0);
      expect(Number(qty)).toBeCloseTo(expectedQty, 2);
      const retail = generated.get(p)!.retailPrices.find((r) => r.sku === sku)?.price;
      if (retail === undefined) expect(price).toBe('');
      else {
        expect(Number(price)).toBeCloseTo(retail, 2);
        expect(Number(amount)).toBeCloseTo(expectedQty * retail, 2);
      }
    }
    const total = rows[rows.length - 1];
    expect(total.slice(0, 5)).toEqual(['', 'Total', '', '', '']);
    expect(Number(total[5])).toBeCloseTo(lines.reduce((n, l) => n + Number(l[5] || 0), 0), 2);

    const html = await as(p, http().get(`/partners/${p}/accounts/${a.id}/statement`)).query({ format: 'html' }).expect(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.text).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)');
    expect(html.text).not.toContain(HOSTILE_SKU_NAME);
    expect(html.text).toContain(`Usage statement: ${a.name.replace(/&/g, '&amp;')}`);

    await as(p, http().get(`/partners/${p}/accounts/${a.id}/statement`)).query({ format: 'pdf' }).expect(400);
    await as(p, http().get(`/partners/${p}/accounts/no-such-account/statement`)).expect(404);
    await as(p, http().post(`/partners/${p}/accounts/${a.id}/statement/send`)).send({ to: 'not an address' }).expect(400);

    // Not to any address a partner types: only to its configured recipients.
    const elsewhere = await as(p, http().post(`/partners/${p}/accounts/${a.id}/statement/send`)).send({ to: 'anyone@elsewhere.test' }).expect(400);
    expect(elsewhere.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'to' }] });
    const recipient = ((await as(p, http().get(`/partners/${p}/integration/notifications`)).expect(200)).body as { emailRecipients: string[] }).emailRecipients[0];
    const queued = await as(p, http().post(`/partners/${p}/accounts/${a.id}/statement/send`)).send({ to: recipient }).expect(202);
    expect(queued.body).toMatchObject({ status: 'pending' });
    const mail = await waitUntil('the statement e-mail', () => mailsTo(recipient).find((m) => m.subject.includes('Usage statement')));
    expect(mailsTo('anyone@elsewhere.test')).toHaveLength(0);
    expect(mail.subject).toContain('Usage statement');
    expect(mail.html).toContain('<table');
    expect(mail.text).toContain('Total:');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].type).toBe('text/csv');
    expect(mail.attachments[0].body).toContain(`"'${HOSTILE_SKU_NAME.replace(/"/g, '""')}"`);
    const listed = (await deliveriesOf(p)).find((n) => n.id === queued.body.notificationId)!;
    expect(listed).toMatchObject({ event: 'account.statement', status: 'sent', attempts: 1 });
  });
});
