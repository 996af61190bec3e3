/**
 * One export world per test file: the ConnectWise simulator over real HTTP, PGlite in memory, and a
 * generated partner written to a temporary data folder, each account mapped to a fresh agreement.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodebaseCache, ConnectWiseClient, type ConnectWiseClientOptions } from '@cwx/connectwise';
import { DEFAULT_EXPORT_SETTINGS, type ExportSettings, type ReviewPolicy } from '@cwx/domain';
import { openDatabase, type DatabaseHandle } from '@cwx/persistence';
import { FolderPlatformSource } from '@cwx/platform';
import { generatePartner, writePartnerToFolder, type GeneratedPartner } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator } from '../../../apps/connectwise-sim/src/testing';
import {
  AccountExporter,
  type AccountResult,
  CatalogExporter,
  type CatalogDefaults,
  type CatalogResult,
  collectCatalogSkus,
  drizzleExportStores,
  type ExportStores,
  markDeletedUsersCsvs,
} from '../../../libs/export/src';
import { DestinationPolicy } from '@cwx/outbound';

export const CLIENT_ID = '7d1f3c2e-5b4a-4e8f-9c6d-2a1b0e9f8d7c';
export const DEMO_KEYS = { companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' };
/** Demo seed: subcategory 1 Cloud Licensing, type 1 Non-Inventory, unit 2 User. */
export const DEFAULTS = { subcategoryId: 1, productTypeId: 1, unitOfMeasureId: 2 };
export const RUN_DATE = '2026-03-01';

/** The defaults with the users CSV off (these suites turn it on where they test it), and `overrides`. */
export function settingsWith(overrides: Partial<ExportSettings> = {}): ExportSettings {
  return { ...DEFAULT_EXPORT_SETTINGS, usersList: false, disappearedSku: { mode: 'zero' }, ...overrides };
}

export function clientOptions(baseUrl: string, extra: Partial<ConnectWiseClientOptions> = {}): ConnectWiseClientOptions {
  return {
    clientId: CLIENT_ID,
    extraAllowedOrigins: [baseUrl],
    destinations: new DestinationPolicy({ allowPrivate: true }), // the simulator listens on loopback
    requestTimeoutMs: 2_000,
    maxRetries: 2,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 20,
    codebaseCache: new CodebaseCache(),
    ...extra,
  };
}

export function clientFor(site: { host: string; baseUrl: string }, keys = DEMO_KEYS, extra: Partial<ConnectWiseClientOptions> = {}): ConnectWiseClient {
  return new ConnectWiseClient({ site: site.host, ...keys }, clientOptions(site.baseUrl, extra));
}

export interface ExportRun {
  catalog: CatalogResult;
  accounts: AccountResult[];
}

export interface RunOptions {
  dryRun?: boolean;
  runDate?: string;
  /** Only these accounts (default: all). */
  accountIds?: readonly string[];
  /** Another client (e.g. through a proxy, or with other keys). */
  client?: ConnectWiseClient;
  /** Other stores (e.g. one that fails once). */
  stores?: Partial<ExportStores>;
  /** Other catalog defaults than the demo seed's. */
  defaults?: CatalogDefaults;
  /** Pass each account's platform status, as the worker does from the latest accounts sync (default: all active). */
  withAccountStatus?: boolean;
  /** The partner's review policy (and whether the run is of approved changes only), as the worker passes it. */
  review?: { policy: ReviewPolicy; approvedOnly?: boolean };
}

export class Harness {
  partner!: GeneratedPartner;
  sim!: RunningSimulator;
  client!: ConnectWiseClient;
  database!: DatabaseHandle;
  stores!: ExportStores;
  platform!: FolderPlatformSource;
  /** accountId → agreementId */
  readonly agreements = new Map<string, number>();
  private dataDir = '';
  private runs = 0;

  constructor(private readonly options: { partnerId: string; seed: number; accounts: number; hostileNames?: number }) {}

  get partnerId(): string {
    return this.options.partnerId;
  }

  get accountIds(): string[] {
    return this.partner.accounts.map((a) => a.account.id);
  }

  async start(): Promise<void> {
    this.partner = generatePartner({
      partnerId: this.options.partnerId,
      seed: this.options.seed,
      accounts: this.options.accounts,
      skusPerAccount: { min: 2, max: 6 },
      usersPerAccount: { min: 1, max: 4 },
      hostileNames: this.options.hostileNames ?? 0,
    });
    this.dataDir = await mkdtemp(join(tmpdir(), 'cwx-export-'));
    await this.writePartner(this.partner);
    this.sim = await startSimulator({ host: '127.0.0.1', port: 0 });
    this.client = clientFor(this.sim);
    this.database = openDatabase({ driver: 'pglite' });
    await this.database.migrate();
    this.stores = drizzleExportStores(this.database.db);
    for (const [index, { account }] of this.partner.accounts.entries()) {
      const agreement = await this.client.agreements.create(
        { name: `${account.name}`.slice(0, 90) + ` #${index}`, type: { id: 2 }, company: { id: 2 }, contact: { id: 2 } },
        { refind: () => Promise.resolve(undefined) },
      );
      this.agreements.set(account.id, agreement.id!);
    }
  }

  async stop(): Promise<void> {
    await this.sim?.close();
    await this.database?.close();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Replaces the partner's data folder (and reads it afresh). */
  async writePartner(partner: GeneratedPartner): Promise<void> {
    this.partner = partner;
    await writePartnerToFolder(partner, this.dataDir);
    this.platform = new FolderPlatformSource(this.dataDir);
  }

  agreementOf(accountId: string): number {
    const id = this.agreements.get(accountId);
    if (id === undefined) throw new Error(`no agreement for ${accountId}`);
    return id;
  }

  accountName(accountId: string): string {
    return this.partner.accounts.find((a) => a.account.id === accountId)!.account.name;
  }

  /** POST, PATCH, PUT and DELETE requests the simulator received since the last reset. */
  writes(): number {
    return ['POST', 'PATCH', 'PUT', 'DELETE'].reduce((sum, method) => sum + this.sim.countRequests({ method }), 0);
  }

  catalogExporter(options: RunOptions = {}): CatalogExporter {
    return new CatalogExporter({ connectwise: options.client ?? this.client, catalogItems: options.stores?.catalogItems ?? this.stores.catalogItems });
  }

  accountExporter(options: RunOptions = {}): AccountExporter {
    return new AccountExporter({
      platform: this.platform,
      connectwise: options.client ?? this.client,
      ownership: options.stores?.ownership ?? this.stores.ownership,
      usersCsv: options.stores?.usersCsv ?? this.stores.usersCsv,
      review: options.stores?.review ?? this.stores.review,
    });
  }

  async runCatalog(settings: ExportSettings, options: RunOptions = {}): Promise<CatalogResult> {
    const accountIds = options.accountIds ?? this.accountIds;
    const skus = await collectCatalogSkus(this.platform, this.partnerId, accountIds);
    return this.catalogExporter(options).run({ partnerId: this.partnerId, settings, defaults: options.defaults ?? DEFAULTS, skus, dryRun: options.dryRun });
  }

  runAccount(accountId: string, settings: ExportSettings, catalog: ReadonlyMap<string, number>, options: RunOptions = {}): Promise<AccountResult> {
    return this.accountExporter(options).run({
      runId: `run-${this.runs}`,
      partnerId: this.partnerId,
      accountId,
      accountName: this.accountName(accountId),
      agreementId: this.agreementOf(accountId),
      settings,
      catalog,
      runDate: options.runDate ?? RUN_DATE,
      dryRun: options.dryRun,
      ...(options.review ? { review: options.review } : {}),
      ...(options.withAccountStatus ? { accountStatus: this.partner.accounts.find((a) => a.account.id === accountId)!.account.status } : {}),
    });
  }

  /** What the worker's catalog job does first when the users list is on: mark the users CSVs deleted in ConnectWise. */
  async checkUsersCsvs(options: RunOptions = {}): Promise<void> {
    const agreementIds = (options.accountIds ?? this.accountIds).map((id) => this.agreementOf(id));
    await markDeletedUsersCsvs(
      { connectwise: options.client ?? this.client, usersCsv: options.stores?.usersCsv ?? this.stores.usersCsv },
      { partnerId: this.partnerId, agreementIds },
    );
  }

  /** The catalog phase (after the users CSV check, as the worker runs it), then every account in turn. */
  async exportAll(settings: ExportSettings, options: RunOptions = {}): Promise<ExportRun> {
    this.runs += 1;
    if (settings.usersList && !options.dryRun) await this.checkUsersCsvs(options);
    const catalog = await this.runCatalog(settings, options);
    const map = new Map(catalog.catalog.map((e) => [e.sku, e.catalogItemId]));
    const accounts: AccountResult[] = [];
    for (const accountId of options.accountIds ?? this.accountIds) accounts.push(await this.runAccount(accountId, settings, map, options));
    return { catalog, accounts };
  }

  /** The account's summed subscriptions as the platform reports them. */
  subscriptions(accountId: string) {
    return this.platform.getSubscriptions(this.partnerId, accountId);
  }

  /** The sim's additions on the account's agreement. */
  additions(accountId: string): Record<string, unknown>[] {
    return this.sim.state.additions(this.agreementOf(accountId));
  }

  /** A copy of the partner with `edit` applied to one account, written to the folder. */
  async editAccount(accountId: string, edit: (account: GeneratedPartner['accounts'][number]) => void): Promise<void> {
    const copy = structuredClone(this.partner);
    edit(copy.accounts.find((a) => a.account.id === accountId)!);
    await this.writePartner(copy);
  }

  /** The same, for the account's plan lines. */
  editSubscriptions(accountId: string, edit: (lines: GeneratedPartner['accounts'][number]['subscriptions']) => void): Promise<void> {
    return this.editAccount(accountId, (account) => edit(account.subscriptions));
  }

  /** The sim's catalog item id for each identifier. */
  catalogIds(): Map<string, number> {
    return new Map(this.sim.state.catalogItems().map((item) => [String(item.identifier).toLowerCase(), Number(item.id)]));
  }
}

/** A harness for the describe block: started in beforeAll, stopped in afterAll. */
export function useHarness(options: ConstructorParameters<typeof Harness>[0]): Harness {
  const harness = new Harness(options);
  beforeAll(() => harness.start(), 90_000); // PGlite and the simulator boot slowly on a loaded machine
  afterAll(() => harness.stop());
  return harness;
}

/** Products of a sim addition, keyed by the product identifier. */
export function productIdOf(addition: Record<string, unknown>): number {
  return (addition.product as { id: number }).id;
}
