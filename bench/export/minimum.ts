/**
 * The least ConnectWise work an export needs, computed from the data alone: what the platform says
 * (desired) against what ConnectWise holds before the run (the simulator's state). It does not call the
 * export's planner, so a plan that writes too much, or reads too often, shows up as calls > minimum.
 *
 * Definition (per partner and run):
 * - catalog reads: ceil(S / 40) for S SKUs held by exported accounts (40 identifiers fit in one
 *   `identifier in (…)` condition within a safe URL length; this is also the client's batch);
 * - catalog writes: one create per SKU with no item of its identifier, one PATCH per item whose cost or
 *   retail price must change (the product rule for which cost: most common per account, as the
 *   README of libs/export says);
 * - per account, one read of the agreement's additions (one page holds up to 1,000);
 * - per account, one create per SKU with quantity > 0 and no addition of its product on the agreement,
 *   one PATCH per addition whose quantity, unit cost, unit price or cancellation must change, one PATCH
 *   per addition of a SKU the account no longer holds that is not yet at quantity 0;
 * - per account, the users CSV: one upload when its content (hence its hash) changed, plus one delete
 *   of the copy it replaces. Listing the agreement's documents first is our design's choice, not
 *   necessary work, and counts as overhead.
 */
import { catalogProducts } from '@cwx/export';
import { buildUsersCsv, catalogIdentifierFor } from '@cwx/domain';
import type { AccountSubscription, PlatformSource, PlatformUser } from '@cwx/platform';

export const CATALOG_BATCH = 40;
const MONEY = 0.005;

export interface SimRecordLike {
  id: number;
  [field: string]: unknown;
}

export interface SimSnapshot {
  collections: Record<string, SimRecordLike[]>;
}

export interface AccountTarget {
  accountId: string;
  accountName: string;
  agreementId: number;
}

/** What the platform wants, read once per phase (the same files the workers read). */
export interface DesiredState {
  subscriptions: Map<string, AccountSubscription[]>;
  users: Map<string, PlatformUser[]>;
  prices: Map<string, number>;
  catalog: { sku: string; identifier: string; cost?: number; price?: number }[];
}

export interface Minimum {
  reads: number;
  writes: number;
  total: number;
  detail: {
    catalogReads: number;
    catalogCreates: number;
    catalogPatches: number;
    additionReads: number;
    additionCreates: number;
    additionPatches: number;
    csvUploads: number;
    csvDeletes: number;
  };
}

export async function readDesired(platform: PlatformSource, partnerId: string, accounts: readonly AccountTarget[]): Promise<DesiredState> {
  const subscriptions = new Map<string, AccountSubscription[]>();
  const users = new Map<string, PlatformUser[]>();
  for (let i = 0; i < accounts.length; i += 32) {
    await Promise.all(
      accounts.slice(i, i + 32).map(async (a) => {
        const [subs, us] = await Promise.all([platform.getSubscriptions(partnerId, a.accountId), platform.getUsers(partnerId, a.accountId)]);
        subscriptions.set(a.accountId, subs);
        users.set(a.accountId, us);
      }),
    );
  }
  const [skus, priceList] = await Promise.all([platform.getSkus(partnerId), platform.getRetailPrices(partnerId)]);
  const products = catalogProducts(skus, priceList, [...subscriptions.values()]);
  return {
    subscriptions,
    users,
    prices: new Map(priceList.prices.map((p) => [p.sku, p.price])),
    catalog: products.map((p) => ({ sku: p.sku, identifier: catalogIdentifierFor(p.sku), cost: p.cost, ...(p.price !== undefined ? { price: p.price } : {}) })),
  };
}

const differs = (a: unknown, b: number | undefined) => b !== undefined && (typeof a !== 'number' || Math.abs(a - b) > MONEY);

/**
 * The minimum for one partner's run, given ConnectWise's state before it and the users CSV content of
 * the previous run (`previousCsvHash`, absent on the first run).
 */
export function minimumFor(
  desired: DesiredState,
  before: SimSnapshot,
  accounts: readonly AccountTarget[],
  previousCsvHash: ReadonlyMap<string, string>,
): { minimum: Minimum; csvHash: Map<string, string> } {
  const catalogByIdentifier = new Map<string, SimRecordLike>();
  for (const item of before.collections['procurement/catalog'] ?? []) catalogByIdentifier.set(String(item.identifier).toLowerCase(), item);
  let catalogCreates = 0;
  let catalogPatches = 0;
  for (const product of desired.catalog) {
    const item = catalogByIdentifier.get(product.identifier.toLowerCase());
    if (!item) catalogCreates += 1;
    else if (differs(item.cost, product.cost) || differs(item.price, product.price)) catalogPatches += 1;
  }

  const additionsByAgreement = new Map<number, SimRecordLike[]>();
  for (const addition of before.collections['finance/agreements/additions'] ?? []) {
    const agreementId = addition.agreementId as number;
    const list = additionsByAgreement.get(agreementId) ?? [];
    list.push(addition);
    additionsByAgreement.set(agreementId, list);
  }
  const skuOfIdentifier = new Map(desired.catalog.map((c) => [c.identifier.toLowerCase(), c.sku]));

  let additionCreates = 0;
  let additionPatches = 0;
  let csvUploads = 0;
  let csvDeletes = 0;
  const csvHash = new Map<string, string>();
  for (const account of accounts) {
    const wanted = new Map((desired.subscriptions.get(account.accountId) ?? []).map((s) => [s.sku, s]));
    const held = new Map<string, SimRecordLike>();
    for (const addition of additionsByAgreement.get(account.agreementId) ?? []) {
      const identifier = String((addition.product as { identifier?: string } | undefined)?.identifier ?? '').toLowerCase();
      const sku = skuOfIdentifier.get(identifier) ?? `?${identifier}`;
      held.set(sku, addition);
    }
    for (const [sku, line] of wanted) {
      const addition = held.get(sku);
      if (!addition) {
        if (line.quantity > 0) additionCreates += 1;
        continue;
      }
      const price = desired.prices.get(sku);
      if (
        Math.abs(Number(addition.quantity) - line.quantity) > 1e-9 ||
        differs(addition.unitCost, line.unitCost) ||
        differs(addition.unitPrice, price) ||
        Boolean(addition.cancelledDate)
      ) {
        additionPatches += 1;
      }
    }
    for (const [sku, addition] of held) {
      if (!wanted.has(sku) && !sku.startsWith('?') && Number(addition.quantity) !== 0) additionPatches += 1;
    }
    const csv = buildUsersCsv(account.accountName, desired.users.get(account.accountId) ?? []);
    csvHash.set(account.accountId, csv.sha256);
    const previous = previousCsvHash.get(account.accountId);
    if (previous !== csv.sha256) {
      csvUploads += 1;
      if (previous !== undefined) csvDeletes += 1;
    }
  }
  const catalogReads = Math.ceil(desired.catalog.length / CATALOG_BATCH);
  const additionReads = accounts.length;
  const reads = catalogReads + additionReads;
  const writes = catalogCreates + catalogPatches + additionCreates + additionPatches + csvUploads + csvDeletes;
  return {
    minimum: {
      reads,
      writes,
      total: reads + writes,
      detail: { catalogReads, catalogCreates, catalogPatches, additionReads, additionCreates, additionPatches, csvUploads, csvDeletes },
    },
    csvHash,
  };
}

/** After a run: additions still to write (should be 0) and agreements holding one product twice (should be 0). */
export function verifyState(desired: DesiredState, after: SimSnapshot, accounts: readonly AccountTarget[]): { residualWrites: number; duplicateAdditions: number; agreementsWithoutOneCsv: number } {
  const { minimum } = minimumFor(desired, after, accounts, new Map(accounts.map((a) => [a.accountId, buildUsersCsv(a.accountName, desired.users.get(a.accountId) ?? []).sha256])));
  const residualWrites = minimum.writes;
  const ours = new Set(accounts.map((a) => a.agreementId));
  const seen = new Set<string>();
  let duplicateAdditions = 0;
  for (const addition of after.collections['finance/agreements/additions'] ?? []) {
    const agreementId = addition.agreementId as number;
    if (!ours.has(agreementId)) continue;
    const key = `${agreementId}:${(addition.product as { id?: number } | undefined)?.id ?? '?'}`;
    if (seen.has(key)) duplicateAdditions += 1;
    seen.add(key);
  }
  const csvs = new Map<number, number>();
  for (const doc of after.collections['system/documents'] ?? []) {
    const recordId = doc.recordId as number | undefined;
    if (recordId !== undefined && ours.has(recordId)) csvs.set(recordId, (csvs.get(recordId) ?? 0) + 1);
  }
  const agreementsWithoutOneCsv = accounts.filter((a) => csvs.get(a.agreementId) !== 1).length;
  return { residualWrites, duplicateAdditions, agreementsWithoutOneCsv };
}
