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
 * - a suspended or cancelled account wants nothing (the benchmark sets both policies to `zero`): its lines go to 0;
 * - a SKU with no retail price is not written on any agreement (the benchmark exports retail prices with the
 *   `fail-line` policy for a missing price: no line is billed at a price nobody set);
 * - per account, one create per SKU with quantity > 0 and no addition of its product on the agreement,
 *   one PATCH per addition whose quantity, unit cost, unit price or cancellation must change, one PATCH
 *   per addition of a SKU the account no longer holds that is not yet at quantity 0;
 * - per account, the users CSV: one upload when its content (hence its hash) changed, plus one delete
 *   of the copy it replaces. Listing the agreement's documents first is our design's choice, not
 *   necessary work, and counts as overhead;
 * - per run, finding the users CSVs deleted by hand in ConnectWise (issue 13): ⌈D / 100⌉ reads for the D accounts
 *   whose CSV was attached by an earlier run (100 document ids fit one `id in (…)` condition within a safe URL
 *   length, as for the catalog's 40 identifiers; this is also the export's batch). No read can be saved here: a
 *   deletion made by hand is only seen by asking ConnectWise. 0 on a first run.
 *
 * With billing control on (`--billing`, issue 18; `BENCH_BILLING`): the catalog counts cover only the SKUs billed on
 * their own item; the account counts are per line, one per target item (a SKU's own item, or the existing item it is
 * mapped to; "do not bill" SKUs have none), with the bundle's quantity (sum, or the distinct users holding any of its
 * SKUs), the unit-weighted cost, and the price of the first SKU's rule (cost + markup rounded to cents, a fixed
 * amount, the catalog's own price: not compared, or the platform's retail price: a line with a SKU without one is not
 * written). Computed here from the data and the control, without the export's planner.
 */
import { catalogProducts, DOCUMENT_CHECK_BATCH } from '@cwx/export';
import { buildUsersCsv, catalogIdentifierFor, normalizeMoney, roundHalfAway } from '@cwx/domain';
import type { AccountSubscription, PlatformSource, PlatformUser } from '@cwx/platform';

export const CATALOG_BATCH = 40;
/** Money is compared at the precision the export sends (4 decimals): ConnectWise keeps what it is sent. */
const TEN_THOUSANDTHS = 10_000;

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
  /** The platform's status; a suspended or cancelled account is not billed (the benchmark's policy is `zero`). */
  status: 'active' | 'suspended' | 'cancelled';
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
    csvChecks: number;
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

const differs = (a: unknown, b: number | undefined) =>
  b !== undefined && (typeof a !== 'number' || Math.round(a * TEN_THOUSANDTHS) !== Math.round(b * TEN_THOUSANDTHS));

type BenchRule = { kind: 'markup'; percent: number } | { kind: 'fixed'; amount: number } | { kind: 'catalog' };

/** The product mapping `--billing` saves through the API (PUT …/billing/products). */
export interface BenchBilling {
  products: { sku: string; action: 'item' | 'do-not-bill' | 'create'; catalogItemId?: number; price?: BenchRule }[];
  bundles: { catalogItemId: number; quantity: 'sum' | 'distinct-users' }[];
}

/**
 * The benchmark's billing control, on the demo tenant's own catalog items (1 M365-BP, 3 BACKUP-100GB, 4 AV-ENDPOINT):
 * the Microsoft 365 Business plans bundled onto item 1 counted by distinct users, Acronis protection bundled onto item
 * 4 (sum) at cost + 30%, backup storage onto item 3 at the catalog's own price, domains not billed, Teams and Exchange
 * plans at cost + 25%, Keeper at a fixed 9.99; every other SKU on its own item at the platform's retail price.
 */
export const BENCH_BILLING: BenchBilling = {
  products: [
    ...['MS-M365-BB', 'MS-M365-BS', 'MS-M365-BP'].map((sku) => ({ sku, action: 'item' as const, catalogItemId: 1 })),
    ...['ACR-CP-WS', 'ACR-CP-SRV', 'ACR-ADV-SEC'].map((sku) => ({ sku, action: 'item' as const, catalogItemId: 4, price: { kind: 'markup' as const, percent: 30 } })),
    ...['ACR-BKP-GB', 'ACR-DR-GB'].map((sku) => ({ sku, action: 'item' as const, catalogItemId: 3, price: { kind: 'catalog' as const } })),
    { sku: 'DOMAIN-COM', action: 'do-not-bill' },
    ...['MS-TEAMS-ESS', 'MS-EXO-P1', 'MS-EXO-P2'].map((sku) => ({ sku, action: 'create' as const, price: { kind: 'markup' as const, percent: 25 } })),
    { sku: 'KEEPER-BIZ', action: 'create', price: { kind: 'fixed', amount: 9.99 } },
  ],
  bundles: [
    { catalogItemId: 1, quantity: 'distinct-users' },
    { catalogItemId: 4, quantity: 'sum' },
  ],
};

interface WantedLine {
  quantity: number;
  unitCost: number;
  /** undefined: no price is written (the catalog's own). */
  price?: number;
}

/** An account's lines under the billing control, by key: `#<item id>` for a mapped item, the identifier (lower case) for a SKU's own item. */
function wantedLines(subs: readonly AccountSubscription[], users: readonly PlatformUser[], prices: ReadonlyMap<string, number>, billing: BenchBilling): Map<string, WantedLine> {
  const mapping = new Map(billing.products.map((p) => [p.sku, p]));
  const groups = new Map<string, AccountSubscription[]>();
  for (const sub of subs) {
    const m = mapping.get(sub.sku);
    if (m?.action === 'do-not-bill') continue;
    const key = m?.action === 'item' ? `#${m.catalogItemId}` : catalogIdentifierFor(sub.sku).toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), sub]);
  }
  const lines = new Map<string, WantedLine>();
  for (const [key, group] of groups) {
    const members = [...group].sort((a, b) => (a.sku < b.sku ? -1 : 1));
    const units = members.reduce((t, m) => t + m.quantity, 0);
    const itemId = key.startsWith('#') ? Number(key.slice(1)) : undefined;
    const distinct = billing.bundles.some((b) => b.catalogItemId === itemId && b.quantity === 'distinct-users');
    const skus = new Set(members.map((m) => m.sku));
    const quantity = distinct ? users.filter((u) => (u.skus ?? []).some((s) => skus.has(s))).length : units;
    const avg = (value: (m: AccountSubscription) => number) =>
      members.every((m) => Math.round(value(m) * TEN_THOUSANDTHS) === Math.round(value(members[0]) * TEN_THOUSANDTHS)) || units <= 0
        ? value(members[0])
        : members.reduce((t, m) => t + m.quantity * value(m), 0) / units;
    const unitCost = normalizeMoney(avg((m) => m.unitCost));
    const rule = mapping.get(members[0].sku)?.price;
    if (rule?.kind === 'catalog') lines.set(key, { quantity, unitCost });
    else if (rule?.kind === 'fixed') lines.set(key, { quantity, unitCost, price: rule.amount });
    else if (rule?.kind === 'markup') lines.set(key, { quantity, unitCost, price: roundHalfAway(unitCost * (1 + rule.percent / 100), 2) });
    else if (members.every((m) => prices.has(m.sku))) lines.set(key, { quantity, unitCost, price: normalizeMoney(avg((m) => prices.get(m.sku)!)) });
  }
  return lines;
}

/**
 * The minimum for one partner's run, given ConnectWise's state before it and the users CSV content of
 * the previous run (`previousCsvHash`, absent on the first run).
 */
export function minimumFor(
  desired: DesiredState,
  before: SimSnapshot,
  accounts: readonly AccountTarget[],
  previousCsvHash: ReadonlyMap<string, string>,
  billing?: BenchBilling,
): { minimum: Minimum; csvHash: Map<string, string> } {
  const catalogByIdentifier = new Map<string, SimRecordLike>();
  for (const item of before.collections['procurement/catalog'] ?? []) catalogByIdentifier.set(String(item.identifier).toLowerCase(), item);
  const mapped = new Map((billing?.products ?? []).filter((p) => p.action !== 'create').map((p) => [p.sku, p]));
  const ownCatalog = desired.catalog.filter((p) => !mapped.has(p.sku));
  let catalogCreates = 0;
  let catalogPatches = 0;
  for (const product of ownCatalog) {
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
  const targets = new Set((billing?.products ?? []).flatMap((p) => (p.action === 'item' ? [p.catalogItemId!] : [])));
  const ownIdentifiers = new Set(ownCatalog.map((p) => p.identifier.toLowerCase()));
  for (const account of accounts) {
    const billed = account.status === 'active';
    if (billing) {
      const lines = billed ? wantedLines(desired.subscriptions.get(account.accountId) ?? [], desired.users.get(account.accountId) ?? [], desired.prices, billing) : new Map<string, WantedLine>();
      const held = new Map<string, SimRecordLike>();
      for (const addition of additionsByAgreement.get(account.agreementId) ?? []) {
        const product = addition.product as { id?: number; identifier?: string } | undefined;
        const identifier = String(product?.identifier ?? '').toLowerCase();
        const key = product?.id !== undefined && targets.has(product.id) ? `#${product.id}` : ownIdentifiers.has(identifier) ? identifier : `?${identifier}`;
        held.set(key, addition);
      }
      for (const [key, line] of lines) {
        const addition = held.get(key);
        if (!addition) {
          if (line.quantity > 0) additionCreates += 1;
          continue;
        }
        if (
          Math.abs(Number(addition.quantity) - line.quantity) > 1e-9 ||
          differs(addition.unitCost, line.unitCost) ||
          differs(addition.unitPrice, line.price) ||
          Boolean(addition.cancelledDate)
        ) {
          additionPatches += 1;
        }
      }
      for (const [key, addition] of held) {
        if (!lines.has(key) && !key.startsWith('?') && Number(addition.quantity) !== 0) additionPatches += 1;
      }
    }
    const wanted = new Map((billed ? (desired.subscriptions.get(account.accountId) ?? []) : []).map((s) => [s.sku, s]));
    const held = new Map<string, SimRecordLike>();
    for (const addition of additionsByAgreement.get(account.agreementId) ?? []) {
      const identifier = String((addition.product as { identifier?: string } | undefined)?.identifier ?? '').toLowerCase();
      const sku = skuOfIdentifier.get(identifier) ?? `?${identifier}`;
      held.set(sku, addition);
    }
    for (const [sku, line] of billing ? [] : wanted) {
      if (!desired.prices.has(sku)) continue;
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
    for (const [sku, addition] of billing ? [] : held) {
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
  const catalogReads = Math.ceil(ownCatalog.length / CATALOG_BATCH);
  const additionReads = accounts.length;
  const csvChecks = Math.ceil(accounts.filter((a) => previousCsvHash.has(a.accountId)).length / DOCUMENT_CHECK_BATCH);
  const reads = catalogReads + additionReads + csvChecks;
  const writes = catalogCreates + catalogPatches + additionCreates + additionPatches + csvUploads + csvDeletes;
  return {
    minimum: {
      reads,
      writes,
      total: reads + writes,
      detail: { catalogReads, csvChecks, catalogCreates, catalogPatches, additionReads, additionCreates, additionPatches, csvUploads, csvDeletes },
    },
    csvHash,
  };
}

/** After a run: additions still to write (should be 0) and agreements holding one product twice (should be 0). */
export function verifyState(
  desired: DesiredState,
  after: SimSnapshot,
  accounts: readonly AccountTarget[],
  billing?: BenchBilling,
): { residualWrites: number; duplicateAdditions: number; agreementsWithoutOneCsv: number } {
  const { minimum } = minimumFor(desired, after, accounts, new Map(accounts.map((a) => [a.accountId, buildUsersCsv(a.accountName, desired.users.get(a.accountId) ?? []).sha256])), billing);
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
