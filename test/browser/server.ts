/**
 * What the browser tests (and `npm run bench:console`) run against, in one process: the ConnectWise
 * simulator and the control plane in local mode (PGlite in memory, in-process queue and worker),
 * serving the built console. Partners come from the generator, written to a platform data folder.
 *
 *   node dist/test/browser/server.js <info.json>    (build first: see playwright.config.ts)
 *
 * Writes `{ baseUrl, simUrl, jwtSecret, encryptionKeyHex, partners }` to <info.json> once listening;
 * stops on SIGTERM/SIGINT. `CWX_CONSOLE_BENCH_ACCOUNTS=N` adds a partner `bench-partner` with N
 * accounts, already read from the platform (for the mapping page's benchmark).
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadControlPlaneConfig } from '@cwx/config';
import { InProcessMessageBus } from '@cwx/messaging';
import { generatePartner, writePartnerToFolder } from '@cwx/platform-testing';
import { demoSeedWithCompanies, startSimulator } from '../../apps/connectwise-sim/src/testing';
import { createControlPlaneApp } from '../../apps/control-plane/src/bootstrap';
import { SyncAccounts } from '../../apps/control-plane/src/mapping/accounts.use-cases';
import { PartnersRepository } from '../../apps/control-plane/src/partners/partners.repository';

export interface BrowserTestServerInfo {
  baseUrl: string;
  simUrl: string;
  jwtSecret: string;
  encryptionKeyHex: string;
  partners: Record<string, { name: string; accounts: number }>;
  /** The platform's data folder (a test may change a partner's subscriptions between runs). */
  platformDir: string;
}

async function main(): Promise<void> {
  const infoFile = process.argv[2];
  if (!infoFile) throw new Error('usage: server.js <info.json>');
  const dir = await mkdtemp(join(tmpdir(), 'cwx-console-'));
  const platformDir = join(dir, 'platform');
  const walk = generatePartner({ partnerId: 'walk-partner', seed: 17, accounts: 12, skusPerAccount: { min: 1, max: 3 }, usersPerAccount: { min: 1, max: 3 }, connectwiseShare: 0.5, hostileNames: 0 });
  await writePartnerToFolder(walk, platformDir);
  const fail = generatePartner({ partnerId: 'fail-partner', seed: 18, accounts: 2, skusPerAccount: { min: 1, max: 2 }, usersPerAccount: { min: 1, max: 2 }, connectwiseShare: 0, hostileNames: 0 });
  await writePartnerToFolder(fail, platformDir);
  // Billing control and review: an MSP whose ConnectWise already has its own catalog items for what it resells.
  const bill = generatePartner({ partnerId: 'bill-partner', seed: 21, accounts: 3, skusPerAccount: { min: 2, max: 3 }, usersPerAccount: { min: 1, max: 3 }, connectwiseShare: 0, hostileNames: 0 });
  for (const a of bill.accounts) a.account.status = 'active';
  await writePartnerToFolder(bill, platformDir);
  const benchAccounts = Number(process.env.CWX_CONSOLE_BENCH_ACCOUNTS ?? 0);
  const bench = benchAccounts > 0 ? generatePartner({ partnerId: 'bench-partner', seed: 19, accounts: benchAccounts, skusPerAccount: { min: 1, max: 1 }, usersPerAccount: { min: 0, max: 0 }, connectwiseShare: 0, hostileNames: 0.02 }) : undefined;
  if (bench) await writePartnerToFolder(bench, platformDir);

  const seed = demoSeedWithCompanies(walk.connectwise.companies);
  const billed = new Set(bill.accounts.flatMap((a) => a.subscriptions.map((s) => s.sku)));
  const catalog = (seed.records['procurement/catalog'] ??= []);
  bill.skus
    .filter((s) => billed.has(s.sku))
    .forEach((s, i) => {
      const price = 20 + i * 5;
      catalog.push({ id: 5000 + i, identifier: `MSP-${String(i + 1).padStart(4, '0')}`, description: s.name.slice(0, 60), customerDescription: `${s.name} (managed by your MSP)`, subcategory: { id: 1 }, type: { id: 2 }, unitOfMeasure: { id: 2 }, price, cost: price / 2, productClass: 'Service', vendorSku: s.sku.slice(0, 50) });
    });
  const sim = await startSimulator({ seed });
  const bus = new InProcessMessageBus({ deliveryLimit: 3, retryDelayMs: 20 });
  const config = loadControlPlaneConfig({
    LOCAL_DATA_DIR: dir,
    PLATFORM_DATA_DIR: platformDir,
    CW_EXTRA_ALLOWED_ORIGINS: sim.baseUrl,
    OUTBOUND_ALLOW_PRIVATE: 'true', // the simulator listens on loopback
    CWX_SCHEDULER: 'false',
    CW_MAX_RETRIES: '0',
    LOG_LEVEL: 'warn',
  });
  const app: INestApplication = await createControlPlaneApp({ config, bus, inMemoryDatabase: true, scheduler: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer() as { address(): AddressInfo }).address().port;
  if (bench) {
    await app.get(PartnersRepository).ensure('bench-partner', bench.partner.name);
    await app.get(SyncAccounts).execute({ partnerId: 'bench-partner' });
  }
  const partners: BrowserTestServerInfo['partners'] = {};
  for (const p of [walk, fail, bill, ...(bench ? [bench] : [])]) partners[p.partner.id] = { name: p.partner.name, accounts: p.accounts.length };
  const info: BrowserTestServerInfo = {
    baseUrl: `http://127.0.0.1:${port}`,
    simUrl: sim.baseUrl,
    jwtSecret: config.auth.jwtSecret ?? '',
    encryptionKeyHex: config.encryption.keys.get(config.encryption.activeKeyId)?.toString('hex') ?? '',
    partners,
    platformDir,
  };
  // Written whole, then renamed: whoever waits for the file never reads half of it.
  await writeFile(`${infoFile}.tmp`, JSON.stringify(info, null, 2));
  await rename(`${infoFile}.tmp`, infoFile);
  console.log(`browser-test server: ${info.baseUrl}/console/ (simulator ${sim.baseUrl})`);
  const stop = async () => {
    setTimeout(() => process.exit(0), 5000).unref();
    await app.close();
    await bus.close();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
