/**
 * Which SKUs the catalog phase makes sure of, and at what cost and price.
 *
 * - SKUs: every SKU held by at least one exported account (any quantity, 0 included, so an owned line
 *   can still be brought down to 0). A SKU only on the retail price list is not created: nobody is billed
 *   for it yet, and it would clutter the partner's catalog.
 * - Description from the platform's catalogue (`name`, and `description` as the customer description);
 *   a SKU missing from the catalogue is described by the SKU itself.
 * - Cost: the platform gives a unit cost per account subscription, which may differ by account. The item
 *   gets the most common one (one vote per account; a tie goes to the lowest cost). Each addition carries
 *   its account's own unit cost anyway.
 * - Price: the partner's retail price, when the list has one.
 */
import type { DesiredProduct } from '@cwx/domain';
import { type AccountSubscription, PlatformNotFoundError, type PlatformSku, type PlatformSource, type RetailPriceList } from '@cwx/platform';

const DEFAULT_CONCURRENCY = 8;

export interface CollectCatalogSkusOptions {
  /** Accounts read from the platform at once; default 8. */
  concurrency?: number;
}

/** Reads the catalogue, the retail prices and each exported account's subscriptions; see the file comment. */
export async function collectCatalogSkus(
  platform: PlatformSource,
  partnerId: string,
  accountIds: readonly string[],
  options: CollectCatalogSkusOptions = {},
): Promise<DesiredProduct[]> {
  const [skus, prices] = await Promise.all([platform.getSkus(partnerId), platform.getRetailPrices(partnerId)]);
  const subscriptions = await mapLimited(accountIds, options.concurrency ?? DEFAULT_CONCURRENCY, async (accountId) => {
    try {
      return await platform.getSubscriptions(partnerId, accountId);
    } catch (error) {
      // An account removed from the platform since the run started holds nothing.
      if (error instanceof PlatformNotFoundError) return [];
      throw error;
    }
  });
  return catalogProducts(skus, prices, subscriptions);
}

/** The pure part of `collectCatalogSkus`: one product per SKU held by any account, sorted by SKU. */
export function catalogProducts(
  catalogue: readonly PlatformSku[],
  prices: RetailPriceList,
  subscriptionsByAccount: readonly (readonly AccountSubscription[])[],
): DesiredProduct[] {
  const described = new Map(catalogue.map((s) => [s.sku, s]));
  const priced = new Map(prices.prices.map((p) => [p.sku, p.price]));
  const votes = new Map<string, Map<number, number>>();
  for (const subscriptions of subscriptionsByAccount) {
    for (const { sku, unitCost } of subscriptions) {
      const tally = votes.get(sku) ?? new Map<number, number>();
      tally.set(unitCost, (tally.get(unitCost) ?? 0) + 1);
      votes.set(sku, tally);
    }
  }
  return [...votes.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((sku) => {
      const entry = described.get(sku);
      const product: DesiredProduct = { sku, description: entry?.name ?? sku, cost: mostCommon(votes.get(sku)!) };
      if (entry?.description) product.customerDescription = entry.description;
      const price = priced.get(sku);
      if (price !== undefined) product.price = price;
      return product;
    });
}

/** The value with the most votes; the lowest value on a tie. */
function mostCommon(tally: ReadonlyMap<number, number>): number {
  let best: [number, number] | undefined;
  for (const [value, count] of tally) {
    if (!best || count > best[1] || (count === best[1] && value < best[0])) best = [value, count];
  }
  return best![0];
}

/** `fn` over `items`, at most `limit` at a time, results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
