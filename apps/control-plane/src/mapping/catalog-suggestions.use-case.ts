import { Injectable } from '@nestjs/common';
import { type CatalogItemRecord, CatalogMatcher } from '@cwx/matching';
import type { PlatformSource } from '@cwx/platform';
import { callConnectWise, ConnectWiseClients } from '../connectwise/connectwise-clients';
import { InjectPlatform } from '../platform/platform.module';
import { CatalogItemsRepository } from './catalog-items.repository';
import type { CatalogItemRefResponseDto, CatalogSuggestionsResponseDto } from './mapping.dto';

/**
 * Read-only: for each SKU the partner resells, the existing ConnectWise catalog item that most likely sells it
 * (libs/matching CatalogMatcher: by identifier, vendor SKU, manufacturer part number, then description), next to
 * the item the exports use today. Nothing is written: the partner saves its choice as a product mapping (PUT …/billing/products).
 */
@Injectable()
export class CatalogSuggestions {
  constructor(
    private readonly catalogItems: CatalogItemsRepository,
    private readonly clients: ConnectWiseClients,
    @InjectPlatform() private readonly platform: PlatformSource,
  ) {}

  async execute(command: { partnerId: string }): Promise<CatalogSuggestionsResponseDto> {
    const client = await this.clients.forPartner(command.partnerId);
    const items = await callConnectWise('reading the catalog', async () => {
      const out: CatalogItemRecord[] = [];
      const fields = ['id', 'identifier', 'description', 'vendorSku', 'manufacturerPartNumber'];
      for await (const i of client.catalog.iterate({ conditions: 'inactiveFlag = false', fields })) {
        if (typeof i.id === 'number' && i.identifier) out.push({ id: i.id, identifier: i.identifier, description: i.description, vendorSku: i.vendorSku, manufacturerPartNumber: i.manufacturerPartNumber });
      }
      return out;
    });
    const skus = await this.platform.getSkus(command.partnerId);
    const current = await this.catalogItems.bySku(command.partnerId);
    const byId = new Map(items.map((i) => [i.id, i]));
    const ref = (id: number): CatalogItemRefResponseDto => ({ catalogItemId: id, identifier: byId.get(id)?.identifier ?? '', description: byId.get(id)?.description ?? null });
    const matcher = new CatalogMatcher(items);
    return {
      catalogItems: items.length,
      items: skus.map((s) => {
        const outcome = matcher.match({ sku: s.sku, name: s.name });
        return {
          sku: s.sku,
          name: s.name,
          current: current.get(s.sku) ?? null,
          suggestion: outcome.kind === 'suggestion' ? { ...ref(outcome.suggestion.catalogItemId), ...outcome.suggestion } : null,
          ambiguity:
            outcome.kind === 'ambiguous'
              ? { reason: outcome.ambiguous.reason, candidates: outcome.ambiguous.candidates.map((c) => ({ ...ref(c.catalogItemId), ...c })) }
              : null,
        };
      }),
    };
  }
}
