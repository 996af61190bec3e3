/**
 * `npm run demo`: the whole job on the embedded default, with nothing installed but Node.
 *
 * Starts the ConnectWise simulator and the product in local mode (PGlite under ./data/demo, the
 * in-process queue, the embedded worker), creates a demo partner with the generator, goes through the
 * wizard over HTTP (credentials, settings, mapping: suggestions first, then new companies and
 * agreements for the rest), runs an export with a progress bar, prints a summary and where to read the
 * log, then runs again to show that nothing changed. Exits non-zero with the reason on any failure.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { SignJWT } from 'jose';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { loadControlPlaneConfig } from '@cwx/config';
import { InProcessMessageBus } from '@cwx/messaging';
import { generatePartner, writePartnerToFolder } from '@cwx/platform-testing';
import { demoSeedWithCompanies, startSimulator, type RunningSimulator } from '../apps/connectwise-sim/src/testing';
import { createControlPlaneApp } from '../apps/control-plane/src/bootstrap';
import type { components } from '../apps/console/src/api/schema';

const PARTNER = 'demo-partner';
const ACCOUNTS = 40;
const DATA_DIR = resolve('data/demo');
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

type Json = Record<string, unknown>;

class DemoError extends Error {}

function step(text: string): void {
  process.stdout.write(`\n▸ ${text}\n`);
}

class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T = Json>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    for (let attempt = 1; ; attempt++) {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // The API limits requests per token (429 with Retry-After): a well-behaved client waits as told and tries again.
      if (response.status !== 429 || attempt >= 5) break;
      await response.arrayBuffer();
      const seconds = Number(response.headers.get('retry-after')) || 1;
      await new Promise((r) => setTimeout(r, seconds * 1000));
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new DemoError(`${method} ${path} answered ${response.status}: ${message}`);
    }
    return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  }
}

/** The API's answers, as openapi-typescript generates them from openapi/control-plane.json (types only). */
type Run = components['schemas']['RunResponseDto'];
type LogEntry = components['schemas']['LogEntryResponseDto'];
type LogPage = components['schemas']['LogPageResponseDto'];

async function runExport(api: Api): Promise<Run> {
  let run = await api.call<Run>('POST', `/partners/${PARTNER}/runs`);
  const tty = process.stdout.isTTY;
  let lastLine = '';
  for (;;) {
    run = await api.call<Run>('GET', `/partners/${PARTNER}/runs/${run.id}`);
    const total = Math.max(run.total, 1);
    const width = 30;
    const filled = Math.round((run.done / total) * width);
    const line = `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${run.done}/${run.total || '?'} accounts  (${run.status})`;
    if (tty) process.stdout.write(`\r${line}`);
    else if (line !== lastLine) process.stdout.write(`${line}\n`);
    lastLine = line;
    if (!['queued', 'running'].includes(run.status)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (tty) process.stdout.write('\n');
  return run;
}

async function readLog(api: Api, runId: string): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (let page = 1; ; page++) {
    const result = await api.call<LogPage>('GET', `/partners/${PARTNER}/runs/${runId}/log?page=${page}&pageSize=500`);
    entries.push(...result.items);
    if (entries.length >= result.total || result.items.length === 0) return entries;
  }
}

interface Notification {
  id: number;
  event: string;
  subject: string;
  status: string;
  lastError: string | null;
}

/** Waits until the run's report left (sent or given up) and says where it went: the .eml file in local mode. */
async function reportOf(api: Api, runId: string, mailDir: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { items } = await api.call<{ items: Notification[] }>('GET', `/partners/${PARTNER}/integration/notifications/deliveries?pageSize=100`);
    const report = items.find((n) => n.event === 'run.report' && n.subject === `run:${runId}`);
    if (report && report.status === 'sent') {
      const file = (await readdir(mailDir).catch(() => [] as string[])).find((f) => f.endsWith(`-${report.id}.eml`));
      return file ? relative(process.cwd(), join(mailDir, file)) : `sent (notification ${report.id})`;
    }
    if (report && report.status !== 'pending') throw new DemoError(`the report was not sent: ${report.lastError ?? report.status}`);
    if (Date.now() > deadline) throw new DemoError('the report was not sent within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function count(entries: LogEntry[], entity: string, actions: string[]): number {
  return entries.reduce((n, e) => n + e.operations.filter((o) => o.entity === entity && actions.includes(o.action)).length, 0);
}

async function main(): Promise<void> {
  const started = Date.now();
  await rm(DATA_DIR, { recursive: true, force: true });
  await mkdir(DATA_DIR, { recursive: true });
  const platformDir = join(DATA_DIR, 'platform');

  step(`Generating a demo partner: ${ACCOUNTS} customer accounts with SKUs and users`);
  const partner = generatePartner({ partnerId: PARTNER, seed: 2026, accounts: ACCOUNTS, skusPerAccount: { min: 1, max: 8 }, usersPerAccount: { min: 1, max: 12 }, connectwiseShare: 0.6, hostileNames: 0.05 });
  await writePartnerToFolder(partner, platformDir);
  console.log(`  ${partner.partner.name}: ${partner.accounts.length} accounts, ${partner.skus.length} SKUs; ${partner.connectwise.companies.length} of its customers already exist in ConnectWise`);

  let sim: RunningSimulator | undefined;
  let app: INestApplication | undefined;
  const bus = new InProcessMessageBus({ deliveryLimit: 5 });
  try {
    sim = await startSimulator({ seed: demoSeedWithCompanies(partner.connectwise.companies) });
    console.log(`  ConnectWise simulator at ${sim.baseUrl} (company "demo")`);

    step('Starting the product in local mode (embedded PostgreSQL, in-process queue and worker)');
    const config = loadControlPlaneConfig({
      LOCAL_DATA_DIR: DATA_DIR,
      PLATFORM_DATA_DIR: platformDir,
      CW_EXTRA_ALLOWED_ORIGINS: sim.baseUrl,
      OUTBOUND_ALLOW_PRIVATE: 'true', // the simulator listens on loopback
      CWX_SCHEDULER: 'false',
      LOG_LEVEL: 'warn',
    });
    app = await createControlPlaneApp({ config, bus });
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer() as { address(): AddressInfo }).address().port;
    const baseUrl = `http://127.0.0.1:${port}`;
    const token = await new SignJWT({ partner_id: PARTNER, partner_name: partner.partner.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('demo-user')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(config.auth.jwtSecret ?? ''));
    const api = new Api(baseUrl, token);
    console.log(`  API at ${baseUrl} (Swagger UI: ${baseUrl}/docs)`);

    step('Step 1: ConnectWise credentials (validated live)');
    const credentials = await api.call('PUT', `/partners/${PARTNER}/integration/credentials`, {
      site: sim.baseUrl,
      companyId: 'demo',
      publicKey: 'demo-public',
      privateKey: 'demo-private',
    });
    console.log(`  accepted: ConnectWise ${String(credentials.connectwiseVersion)}, private key stored encrypted and shown as ${String(credentials.privateKey)}`);

    step('Step 2: settings, with ConnectWise defaults read live');
    const options = await api.call<Record<string, { id: number; name: string }[]>>('GET', `/partners/${PARTNER}/integration/connectwise-options`);
    const pick = (list: string, name: string) => {
      const found = options[list].find((o) => o.name === name) ?? options[list][0];
      if (!found) throw new DemoError(`ConnectWise has no ${list}`);
      return found.id;
    };
    await api.call('PUT', `/partners/${PARTNER}/integration/settings`, {
      exportMode: 'daily',
      dailyTime: '02:00',
      timeZone: 'Europe/Amsterdam',
      data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
      disappearedSku: 'zero',
      connectwiseDefaults: {
        catalogSubcategoryId: pick('catalogSubcategories', 'Cloud Licensing'),
        productTypeId: pick('productTypes', 'Non-Inventory'),
        unitOfMeasureId: pick('unitsOfMeasure', 'Each'),
        agreementTypeId: pick('agreementTypes', 'Cloud Services'),
        billingCycleId: pick('billingCycles', 'Monthly'),
      },
    });
    const status = await api.call<{ nextScheduledExport: { local: string; utc: string } }>('GET', `/partners/${PARTNER}/integration`);
    console.log(`  daily export at 02:00 Europe/Amsterdam; next: ${status.nextScheduledExport.local} (${status.nextScheduledExport.utc} UTC)`);

    step('Reports and alerts: e-mail after every run, alerts on problems');
    const recipient = 'billing@demo-partner.example';
    await api.call('PUT', `/partners/${PARTNER}/integration/notifications`, {
      emailRecipients: [recipient],
      webhookUrl: null,
      events: ['run.report', 'run.failed', 'credentials.rejected', 'account.failing', 'accounts.unmapped', 'suggestions.pending'],
      cadence: 'every_run',
      silentWhenUnchanged: true,
    });
    const mailDir = config.notifications?.mailDir ?? join(DATA_DIR, 'mail');
    console.log(`  to ${recipient}; no SMTP server configured (SMTP_URL), so each message is written to ${relative(process.cwd(), mailDir)}/*.eml`);

    step('Step 3: mapping accounts to ConnectWise companies and agreements');
    await api.call('POST', `/partners/${PARTNER}/accounts/sync`);
    const fill = await api.call<{ examined: number; suggested: number; companies: number }>('POST', `/partners/${PARTNER}/suggestions`);
    console.log(`  suggestions: ${fill.suggested} of ${fill.examined} accounts matched confidently among ${fill.companies} ConnectWise companies`);
    type Row = { accountId: string; accountName: string; version: number; suggestion: { companyName: string; score: number; reason: string } | null };
    const suggested = (await api.call<{ items: Row[] }>('GET', `/partners/${PARTNER}/accounts?state=suggested&pageSize=500`)).items;
    for (const row of suggested.slice(0, 3)) {
      console.log(`    "${row.accountName}" → "${row.suggestion?.companyName}" (${row.suggestion?.score.toFixed(2)}: ${row.suggestion?.reason})`);
    }
    for (const row of suggested) {
      await api.call('POST', `/partners/${PARTNER}/accounts/${row.accountId}/suggestion/accept`, { version: row.version, createAgreement: {} });
    }
    const unmapped = (await api.call<{ items: Row[] }>('GET', `/partners/${PARTNER}/accounts?state=unmapped&pageSize=500`)).items;
    for (const row of unmapped) {
      await api.call('PUT', `/partners/${PARTNER}/accounts/${row.accountId}/mapping`, {
        version: row.version,
        createCompany: { name: row.accountName.slice(0, 50), city: 'Springfield' },
        createAgreement: {},
      });
    }
    console.log(`  ${suggested.length} accepted suggestions, ${unmapped.length} new companies with agreements; every account set to export`);

    step('Exporting');
    sim.resetRequests();
    const exportStarted = Date.now();
    const run = await runExport(api);
    const seconds = (Date.now() - exportStarted) / 1000;
    const calls = sim.requests();
    if (run.status !== 'succeeded') throw new DemoError(`the export ended ${run.status}: ${run.reason ?? 'see the log'}`);
    const log = await readLog(api, run.id);
    const logCsv = join(DATA_DIR, 'export-log.csv');
    await writeFile(logCsv, await api.call<string>('GET', `/partners/${PARTNER}/runs/${run.id}/log.csv`));
    console.log('\n  Summary');
    console.log(`    accounts exported        ${run.done} (${run.changed} changed, ${run.unchanged} unchanged, ${run.failed} failed)`);
    console.log(`    additions created        ${count(log, 'addition', ['create'])}`);
    console.log(`    additions updated        ${count(log, 'addition', ['update', 'retire'])}`);
    console.log(`    catalog items created    ${calls.filter((c) => c.method === 'POST' && /\/procurement\/catalog$/.test(c.path) && c.status === 201).length}`);
    console.log(`    users CSVs attached      ${count(log, 'document', ['attach', 'replace'])}`);
    console.log(`    ConnectWise calls        ${calls.length} (${calls.filter((c) => WRITE_METHODS.has(c.method)).length} writes)`);
    console.log(`    time                     ${seconds.toFixed(1)} s`);
    console.log(`  The log: ${baseUrl}${run.logUrl} (while running), and as CSV in ${relative(process.cwd(), logCsv)}`);
    console.log(`  The report went to ${recipient}: ${await reportOf(api, run.id, mailDir)}`);

    step('Exporting again: nothing changed on the platform');
    sim.resetRequests();
    const again = await runExport(api);
    const writes = sim.requests().filter((c) => WRITE_METHODS.has(c.method)).length;
    if (again.status !== 'succeeded') throw new DemoError(`the second export ended ${again.status}: ${again.reason ?? ''}`);
    console.log(`  ${again.unchanged} accounts unchanged, ${again.changed} changed; ${sim.requests().length} ConnectWise calls, ${writes} writes`);
    if (writes !== 0 || again.changed !== 0) throw new DemoError(`the unchanged re-export wrote ${writes} times`);
    console.log('  no report for it: nothing changed and the partner asked for silence then');
    const mails = (await readdir(mailDir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
    console.log(`  ${mails.length} e-mails in ${relative(process.cwd(), mailDir)}/ (the run report and the alerts: accounts not mapped, suggestions to confirm)`);

    console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s. Data kept in ${relative(process.cwd(), DATA_DIR)}/.`);
    const dataDir = relative(process.cwd(), DATA_DIR);
    console.log('\nSee it in the web console, on the data just exported:');
    console.log(`  LOCAL_DATA_DIR=${dataDir} PLATFORM_DATA_DIR=${dataDir}/platform npm start`);
    console.log(`  then open the one-time "console" link it prints (mapping, runs, the log and its CSV; the simulator has stopped, so live ConnectWise lists say it cannot be reached).`);
  } finally {
    await app?.close();
    await bus.close();
    await sim?.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
