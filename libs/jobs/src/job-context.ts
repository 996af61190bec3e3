import { and, eq } from 'drizzle-orm';
import type { ConnectWiseClientOptions } from '@cwx/connectwise';
import { ConnectWiseClient } from '@cwx/connectwise';
import { type BillingControl, DEFAULT_EXPORT_SETTINGS, type ExportSettings, type ReviewPolicy, reviewPolicyProblem } from '@cwx/domain';
import {
  accountMappings,
  billingAccounts,
  billingBundles,
  billingProductMappings,
  catalogItems,
  type CredentialsCipher,
  CredentialsRepository,
  exportedAccounts,
  type ExportedAccount,
  exportSettings,
  reviewPolicies,
  runs,
  type Database,
} from '@cwx/persistence';
import { budgetHooks, type BudgetHooks, type RequestBudget } from '@cwx/throttle';

export type RunRow = typeof runs.$inferSelect;
export type SettingsRow = typeof exportSettings.$inferSelect;

/** The partner's billing control without an account's overrides. */
export type PartnerBilling = Omit<BillingControl, 'account'>;

/**
 * What an account job reads that is the partner's, not the account's: the same for every account of a run, so a
 * worker reads it once per run (RunContextCache). Shared by the run's jobs: frozen, never changed after the read.
 */
export interface PartnerContext {
  settings: Readonly<SettingsRow> | undefined;
  billing: Readonly<PartnerBilling>;
  reviewPolicy: ReviewPolicy | undefined;
  catalog: ReadonlyMap<string, number>;
}

/**
 * What an export reads from the store before it works: the run, the partner's settings, the mapping, the exported
 * accounts, the catalog, the billing control and the review policy. The export use-cases only read these; they write
 * nothing but their export records (ownership, users CSV ledger, review queue, written lines).
 */
export class ExportContext {
  constructor(protected readonly db: Database) {}

  async run(runId: string, partnerId: string): Promise<RunRow | undefined> {
    const [run] = await this.db.select().from(runs).where(and(eq(runs.id, runId), eq(runs.partnerId, partnerId)));
    return run;
  }

  async settings(partnerId: string): Promise<SettingsRow | undefined> {
    const [row] = await this.db.select().from(exportSettings).where(eq(exportSettings.partnerId, partnerId));
    return row;
  }

  /** The partner's review policy; undefined when none is stored (nothing waits) or the stored one is unusable. */
  async reviewPolicy(partnerId: string): Promise<ReviewPolicy | undefined> {
    const [row] = await this.db.select({ policy: reviewPolicies.policy }).from(reviewPolicies).where(eq(reviewPolicies.partnerId, partnerId));
    const policy = row?.policy as ReviewPolicy | undefined;
    return policy && reviewPolicyProblem(policy) === undefined ? policy : undefined;
  }

  /** The partner's exported accounts (@cwx/persistence exportedAccounts). */
  exportedAccounts(partnerId: string): Promise<ExportedAccount[]> {
    return exportedAccounts(this.db, partnerId);
  }

  async mapping(partnerId: string, accountId: string) {
    const [row] = await this.db
      .select()
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, accountId)));
    return row;
  }

  async catalog(partnerId: string): Promise<Map<string, number>> {
    const rows = await this.db.select().from(catalogItems).where(eq(catalogItems.partnerId, partnerId));
    return new Map(rows.map((r) => [r.sku, r.catalogItemId]));
  }

  /** The partner's billing control with one account's overrides (none for the catalog phase). */
  async billing(partnerId: string, settings: SettingsRow | undefined, accountId?: string): Promise<BillingControl> {
    const [partner, account] = await Promise.all([
      loadPartnerBilling(this.db, partnerId, settings?.unmappedSkus ?? 'create'),
      accountId === undefined ? { prices: [], exclusions: [], included: [] } : this.accountBilling(partnerId, accountId),
    ]);
    return { ...partner, account };
  }

  /** The partner's context for an account job: settings, billing control (no account's overrides), review policy, catalog. */
  async partner(partnerId: string): Promise<PartnerContext> {
    const [settings, products, reviewPolicy, catalog] = await Promise.all([
      this.settings(partnerId),
      readPartnerBilling(this.db, partnerId),
      this.reviewPolicy(partnerId),
      this.catalog(partnerId),
    ]);
    return Object.freeze({
      settings: settings && Object.freeze(settings),
      billing: partnerBillingOf(settings?.unmappedSkus ?? 'create', products),
      reviewPolicy: reviewPolicy && deepFreeze(reviewPolicy),
      catalog,
    });
  }

  /** One account's billing overrides (price rules, exclusions, included quantities); read per account job. */
  async accountBilling(partnerId: string, accountId: string): Promise<BillingControl['account']> {
    const [overrides] = await this.db
      .select()
      .from(billingAccounts)
      .where(and(eq(billingAccounts.partnerId, partnerId), eq(billingAccounts.accountId, accountId)));
    return {
      prices: (overrides?.prices ?? []) as BillingControl['account']['prices'],
      exclusions: (overrides?.exclusions ?? []) as BillingControl['account']['exclusions'],
      included: (overrides?.included ?? []) as BillingControl['account']['included'],
    };
  }
}

/** The partner's billing control with one account's overrides, as the plan reads it. */
export function withAccountBilling(partner: Readonly<PartnerBilling>, account: BillingControl['account']): BillingControl {
  return { unmapped: partner.unmapped, products: partner.products, bundles: partner.bundles, account };
}

/**
 * A worker's context: the export's reads, and the partner's ConnectWise client from its stored credentials (opened by
 * libs/persistence's CredentialsRepository, kept only inside the client), drawing from the fleet-wide budget.
 */
export class JobContextLoader extends ExportContext {
  private readonly credentials: CredentialsRepository;

  constructor(
    db: Database,
    cipher: CredentialsCipher,
    private readonly clientOptions: ConnectWiseClientOptions,
    private readonly budget: RequestBudget,
  ) {
    super(db);
    this.credentials = new CredentialsRepository(db, cipher);
  }

  /** A client for the partner, throttled by the fleet-wide budget; undefined when no credentials are stored. */
  async client(partnerId: string): Promise<{ client: ConnectWiseClient; hooks: BudgetHooks } | undefined> {
    const credentials = await this.credentials.open(partnerId);
    if (!credentials) return undefined;
    const hooks = budgetHooks(this.budget, partnerId);
    const client = new ConnectWiseClient(credentials, { ...this.clientOptions, beforeRequest: hooks.beforeRequest, onThrottle: hooks.onThrottle });
    return { client, hooks };
  }
}

/** The stored settings as the export reads them; a partner who saved none has the defaults (the same as the columns'). */
export function toExportSettings(row: SettingsRow | undefined): ExportSettings {
  if (!row) return { ...DEFAULT_EXPORT_SETTINGS, disappearedSku: { ...DEFAULT_EXPORT_SETTINGS.disappearedSku } };
  return {
    products: row.exportProducts,
    quantity: row.exportQuantity,
    cost: row.exportCost,
    retailPrice: row.exportRetailPrice,
    usersList: row.exportUsersList,
    disappearedSku: { mode: row.disappearedSku },
    missingRetailPrice: row.missingRetailPrice,
    suspendedAccounts: row.suspendedAccounts,
    cancelledAccounts: row.cancelledAccounts,
  };
}

type ProductRow = typeof billingProductMappings.$inferSelect;
type BundleRow = typeof billingBundles.$inferSelect;

async function readPartnerBilling(db: Database, partnerId: string): Promise<{ products: ProductRow[]; bundles: BundleRow[] }> {
  const [products, bundles] = await Promise.all([
    db.select().from(billingProductMappings).where(eq(billingProductMappings.partnerId, partnerId)),
    db.select().from(billingBundles).where(eq(billingBundles.partnerId, partnerId)),
  ]);
  return { products, bundles };
}

/** The stored billing control (@cwx/persistence billing tables), the partner's half, as the plan reads it. */
async function loadPartnerBilling(db: Database, partnerId: string, unmapped: 'create' | 'hold'): Promise<PartnerBilling> {
  return partnerBillingOf(unmapped, await readPartnerBilling(db, partnerId));
}

function partnerBillingOf(unmapped: 'create' | 'hold', { products, bundles }: { products: ProductRow[]; bundles: BundleRow[] }): PartnerBilling {
  return deepFreeze({
    unmapped,
    products: products.map((row) => ({
      sku: row.sku,
      ...(row.term === 'any' ? {} : { term: row.term }),
      action:
        row.action === 'item' && row.catalogItemId !== null
          ? { kind: 'item' as const, catalogItemId: row.catalogItemId }
          : { kind: row.action === 'item' ? ('hold' as const) : row.action },
      ...(row.priceRule ? { price: row.priceRule as BillingControl['products'][number]['price'] } : {}),
    })),
    bundles: bundles.map((row) => ({ catalogItemId: row.catalogItemId, quantity: row.quantity })),
  });
}

/** Freezes plain data (objects and arrays) all the way down: what several jobs share cannot be changed by one. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
