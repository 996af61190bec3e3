import { type CatalogItem, type ConnectWiseClient, cwIn, cwString } from '@cwx/connectwise';
import type { ExistingCatalogItem } from '@cwx/domain';

/** Identifiers per `identifier in (…)` query: keeps the URL well under common 8 KB limits (75 characters each at most). */
const IDENTIFIERS_PER_QUERY = 40;

/**
 * The catalog items answering to any of `identifiers` (ConnectWise compares them case-insensitively), a
 * few queries in all rather than one per SKU. An identifier holding both quote kinds cannot be written in
 * a condition; it is returned in `unsearchable` instead.
 */
export async function findCatalogItems(
  client: ConnectWiseClient,
  identifiers: readonly string[],
): Promise<{ found: ExistingCatalogItem[]; unsearchable: Set<string> }> {
  const unsearchable = new Set<string>();
  const searchable: string[] = [];
  for (const identifier of new Set(identifiers)) {
    if (isWritable(identifier)) searchable.push(identifier);
    else unsearchable.add(identifier);
  }
  const found = new Map<number, ExistingCatalogItem>();
  for (let start = 0; start < searchable.length; start += IDENTIFIERS_PER_QUERY) {
    const batch = searchable.slice(start, start + IDENTIFIERS_PER_QUERY);
    const items = await client.catalog.list({ conditions: cwIn('identifier', batch) });
    for (const item of items) {
      const existing = toExisting(item);
      if (existing) found.set(existing.id, existing);
    }
  }
  return { found: [...found.values()], unsearchable };
}

function isWritable(identifier: string): boolean {
  try {
    cwString(identifier);
    return true;
  } catch {
    return false;
  }
}

function toExisting(item: CatalogItem): ExistingCatalogItem | undefined {
  if (item.id === undefined || typeof item.identifier !== 'string') return undefined;
  return {
    id: item.id,
    identifier: item.identifier,
    description: item.description ?? '',
    cost: item.cost ?? null,
    price: item.price ?? null,
    inactiveFlag: item.inactiveFlag ?? null,
  };
}
