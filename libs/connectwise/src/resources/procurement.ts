import { cwEquals } from '../conditions';
import type { CreateOptions } from '../create';
import type { ListQuery } from '../paging';
import type { CatalogItem, NewRecord, ProcurementCategory, ProcurementSubcategory, ProductType, UnitOfMeasure } from '../types';
import { Collection, type ResourceContext } from './collection';

/** `/procurement/catalog`. */
export class CatalogResource extends Collection<CatalogItem> {
  constructor(ctx: ResourceContext) {
    super(ctx, '/procurement/catalog');
  }

  findByIdentifier(identifier: string): Promise<CatalogItem | undefined> {
    return this.findFirst(cwEquals('identifier', identifier));
  }

  /** Re-finds by identifier unless `options.refind` says otherwise. */
  create(body: NewRecord<CatalogItem>, options: CreateOptions<CatalogItem> = {}): Promise<CatalogItem> {
    return this.createRecord(body, options.refind ?? (() => this.findByIdentifier(body.identifier)));
  }
}

/** The procurement setup tables the catalog items refer to (read-only here). */
export class ProcurementSetupResource {
  private readonly categories: Collection<ProcurementCategory>;
  private readonly subcategories: Collection<ProcurementSubcategory>;
  private readonly types: Collection<ProductType>;
  private readonly units: Collection<UnitOfMeasure>;

  constructor(ctx: ResourceContext) {
    this.categories = new Collection(ctx, '/procurement/categories');
    this.subcategories = new Collection(ctx, '/procurement/subcategories');
    this.types = new Collection(ctx, '/procurement/types');
    this.units = new Collection(ctx, '/procurement/unitOfMeasures');
  }

  listCategories(query?: ListQuery): Promise<ProcurementCategory[]> {
    return this.categories.list(query);
  }

  listSubcategories(query?: ListQuery): Promise<ProcurementSubcategory[]> {
    return this.subcategories.list(query);
  }

  listProductTypes(query?: ListQuery): Promise<ProductType[]> {
    return this.types.list(query);
  }

  listUnitsOfMeasure(query?: ListQuery): Promise<UnitOfMeasure[]> {
    return this.units.list(query);
  }
}
