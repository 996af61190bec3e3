import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { catalogItems, type Database } from '@cwx/persistence';
import { InjectDatabase } from '../database/database.module';

/** The ConnectWise catalog items the exports use for the partner's SKUs (written by the catalog phase). */
@Injectable()
export class CatalogItemsRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  /** SKU → the catalog item the exports use for it. */
  async bySku(partnerId: string): Promise<Map<string, { catalogItemId: number; identifier: string }>> {
    const rows = await this.db.select().from(catalogItems).where(eq(catalogItems.partnerId, partnerId));
    return new Map(rows.map((r) => [r.sku, { catalogItemId: r.catalogItemId, identifier: r.identifier }]));
  }
}
