/**
 * Catalog phase: make sure every resold SKU has a ConnectWise catalog item, once per run, before any account.
 */
import {
  CATALOG_CUSTOMER_DESCRIPTION_MAX,
  CATALOG_DESCRIPTION_MAX,
  catalogIdentifierFor,
  identifierKey,
} from './catalog-identifier';
import { compareText, groupBy } from './collections';
import { moneyEquals, normalizeMoney } from './money';
import type { ExportSettings } from './settings';
import { toSingleLine, truncateText } from './text';

/** A SKU the partner resells, as the platform describes it. */
export interface DesiredProduct {
  sku: string;
  description: string;
  customerDescription?: string;
  /** What the partner pays the platform. */
  cost?: number;
  /** The partner's retail price. */
  price?: number;
}

/** A ConnectWise catalog item found by one of the planned identifiers. */
export interface ExistingCatalogItem {
  id: number;
  identifier: string;
  description: string;
  cost?: number | null;
  price?: number | null;
  inactiveFlag?: boolean | null;
}

/** The fields of a new catalog item that come from the SKU (subcategory, type and unit of measure are the client's). */
export interface CatalogItemFields {
  identifier: string;
  description: string;
  customerDescription: string;
  cost?: number;
  price?: number;
}

export interface CatalogChange {
  field: 'cost' | 'price';
  before: number | null;
  after: number;
}

export type CatalogConflictReason =
  /** More than one catalog item answers to the identifier. */
  | 'duplicate-identifier'
  /** The item exists but is inactive: someone retired it on purpose; it is reported, not reactivated. */
  | 'inactive'
  /** Two desired SKUs map to identifiers ConnectWise would consider equal (they differ only by case). */
  | 'identifier-collision'
  /** The SKU is empty. */
  | 'invalid-sku';

export type CatalogDecision =
  | { kind: 'create'; sku: string; identifier: string; fields: CatalogItemFields }
  | { kind: 'patch'; sku: string; identifier: string; catalogItemId: number; changes: CatalogChange[] }
  | { kind: 'unchanged'; sku: string; identifier: string; catalogItemId: number }
  | {
      kind: 'conflict';
      sku: string;
      identifier: string;
      reason: CatalogConflictReason;
      catalogItemIds: number[];
      message: string;
    }
  /** Products export is off: a missing item is not created. */
  | { kind: 'skipped'; sku: string; identifier: string; reason: 'products-disabled'; message: string };

export interface CatalogPlan {
  /** One decision per distinct SKU, sorted by SKU. */
  decisions: CatalogDecision[];
  /** ConnectWise write calls the plan implies (creates + patches). */
  writes: number;
}

export interface PlanCatalogInput {
  skus: readonly DesiredProduct[];
  existing: readonly ExistingCatalogItem[];
  settings: ExportSettings;
}

export function planCatalog({ skus, existing, settings }: PlanCatalogInput): CatalogPlan {
  const products = distinctBySku(skus);
  const itemsByKey = groupBy(existing, (item) => identifierKey(item.identifier));
  const skusByKey = groupBy(products, (product) => identifierKey(catalogIdentifierFor(product.sku)));

  const decisions = products.map((product): CatalogDecision => {
    const identifier = catalogIdentifierFor(product.sku);
    const key = identifierKey(identifier);
    const matches = (itemsByKey.get(key) ?? []).slice().sort((a, b) => a.id - b.id);
    const ids = matches.map((item) => item.id);
    const conflict = (reason: CatalogConflictReason, message: string): CatalogDecision => ({
      kind: 'conflict',
      sku: product.sku,
      identifier,
      reason,
      catalogItemIds: ids,
      message,
    });

    if (product.sku.trim() === '') return conflict('invalid-sku', 'The SKU is empty.');
    const sharing = skusByKey.get(key) ?? [];
    if (sharing.length > 1) {
      const others = sharing.filter((p) => p.sku !== product.sku).map((p) => p.sku);
      return conflict('identifier-collision', `ConnectWise would not tell this SKU apart from ${others.join(', ')}.`);
    }
    if (matches.length > 1) {
      return conflict('duplicate-identifier', `${matches.length} catalog items have the identifier ${identifier}.`);
    }

    const [item] = matches;
    if (item === undefined) {
      if (!settings.products) {
        return {
          kind: 'skipped',
          sku: product.sku,
          identifier,
          reason: 'products-disabled',
          message: 'No catalog item, and products export is off.',
        };
      }
      return { kind: 'create', sku: product.sku, identifier, fields: newItemFields(product, identifier, settings) };
    }
    if (item.inactiveFlag === true) {
      return conflict('inactive', `Catalog item ${item.id} (${item.identifier}) is inactive; reactivate it in ConnectWise to export it.`);
    }
    const changes = settings.products ? priceChanges(product, item, settings) : [];
    return changes.length > 0
      ? { kind: 'patch', sku: product.sku, identifier, catalogItemId: item.id, changes }
      : { kind: 'unchanged', sku: product.sku, identifier, catalogItemId: item.id };
  });

  const writes = decisions.filter((d) => d.kind === 'create' || d.kind === 'patch').length;
  return { decisions, writes };
}

/** SKU → catalog item id for every decision that already has an item (patched or unchanged). Created items are added by the caller. */
export function knownCatalogItemIds(plan: CatalogPlan): Map<string, number> {
  const ids = new Map<string, number>();
  for (const decision of plan.decisions) {
    if (decision.kind === 'patch' || decision.kind === 'unchanged') ids.set(decision.sku, decision.catalogItemId);
  }
  return ids;
}

function newItemFields(product: DesiredProduct, identifier: string, settings: ExportSettings): CatalogItemFields {
  const oneLine = toSingleLine(product.description);
  const description = truncateText(oneLine || toSingleLine(product.sku) || identifier, CATALOG_DESCRIPTION_MAX);
  const customer = (product.customerDescription ?? '').trim() || oneLine || description;
  const fields: CatalogItemFields = {
    identifier,
    description,
    customerDescription: truncateText(customer, CATALOG_CUSTOMER_DESCRIPTION_MAX),
  };
  if (settings.cost && isAmount(product.cost)) fields.cost = normalizeMoney(product.cost);
  if (settings.retailPrice && isAmount(product.price)) fields.price = normalizeMoney(product.price);
  return fields;
}

function priceChanges(product: DesiredProduct, item: ExistingCatalogItem, settings: ExportSettings): CatalogChange[] {
  const changes: CatalogChange[] = [];
  if (settings.cost && isAmount(product.cost) && !moneyEquals(item.cost, product.cost)) {
    changes.push({ field: 'cost', before: item.cost ?? null, after: normalizeMoney(product.cost) });
  }
  if (settings.retailPrice && isAmount(product.price) && !moneyEquals(item.price, product.price)) {
    changes.push({ field: 'price', before: item.price ?? null, after: normalizeMoney(product.price) });
  }
  return changes;
}

function isAmount(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

/**
 * One product per SKU, sorted by SKU. A SKU listed twice keeps the entry that sorts first on its
 * description, customer description, cost and price, so the plan does not depend on input order.
 */
function distinctBySku(products: readonly DesiredProduct[]): DesiredProduct[] {
  const key = (p: DesiredProduct) => JSON.stringify([p.description, p.customerDescription ?? '', p.cost ?? null, p.price ?? null]);
  const chosen = new Map<string, DesiredProduct>();
  for (const product of products) {
    const current = chosen.get(product.sku);
    if (current === undefined || compareText(key(product), key(current)) < 0) chosen.set(product.sku, product);
  }
  return [...chosen.values()].sort((a, b) => compareText(a.sku, b.sku));
}
