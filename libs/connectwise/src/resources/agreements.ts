import { cwAnd, cwEquals } from '../conditions';
import type { CreateOptions } from '../create';
import type { ListQuery } from '../paging';
import type { Addition, Agreement, AgreementType, BillingCycle, NewRecord, PatchOperation } from '../types';
import { Collection, checkId, type CountQuery, type ResourceContext } from './collection';

/** `/finance/agreements`, `/finance/agreements/types` and `/finance/billingCycles`. */
export class AgreementsResource extends Collection<Agreement> {
  private readonly types: Collection<AgreementType>;
  private readonly billingCycles: Collection<BillingCycle>;

  constructor(ctx: ResourceContext) {
    super(ctx, '/finance/agreements');
    this.types = new Collection(ctx, '/finance/agreements/types');
    this.billingCycles = new Collection(ctx, '/finance/billingCycles');
  }

  listByCompany(companyId: number, query: Omit<ListQuery, 'conditions'> = {}): Promise<Agreement[]> {
    return this.list({ ...query, conditions: cwEquals('company/id', checkId(companyId)) });
  }

  /**
   * Agreement names are not unique in ConnectWise, so there is no safe default re-find; pass one (e.g. by
   * company and a name the caller made unique) or get `outcomeUnknown` on an ambiguous failure.
   */
  create(body: NewRecord<Agreement>, options: CreateOptions<Agreement> = {}): Promise<Agreement> {
    return this.createRecord(body, options.refind);
  }

  listTypes(query?: ListQuery): Promise<AgreementType[]> {
    return this.types.list(query);
  }

  /** The billing cycles a new agreement can take (Monthly, Quarterly…). */
  listBillingCycles(query?: ListQuery): Promise<BillingCycle[]> {
    return this.billingCycles.list(query);
  }
}

/** `/finance/agreements/{agreementId}/additions`. */
export class AdditionsResource {
  constructor(private readonly ctx: ResourceContext) {}

  private on(agreementId: number): Collection<Addition> {
    return new Collection<Addition>(this.ctx, `/finance/agreements/${checkId(agreementId)}/additions`);
  }

  iterate(agreementId: number, query?: ListQuery): AsyncGenerator<Addition, void, undefined> {
    return this.on(agreementId).iterate(query);
  }

  /** Every addition of the agreement (all pages). */
  list(agreementId: number, query?: ListQuery): Promise<Addition[]> {
    return this.on(agreementId).list(query);
  }

  count(agreementId: number, query?: CountQuery): Promise<number> {
    return this.on(agreementId).count(query);
  }

  get(agreementId: number, additionId: number): Promise<Addition> {
    return this.on(agreementId).get(additionId);
  }

  /** The agreement's first addition (lowest id) for a catalog item, by product id. */
  findByProduct(agreementId: number, productId: number, extraConditions?: string): Promise<Addition | undefined> {
    return this.on(agreementId).findFirst(cwAnd(cwEquals('product/id', checkId(productId)), extraConditions) ?? '');
  }

  /**
   * Re-finds by product on the agreement (one addition per product is the product's rule) unless
   * `options.refind` is given. Needs `body.product.id` for the default re-find.
   */
  create(agreementId: number, body: NewRecord<Addition>, options: CreateOptions<Addition> = {}): Promise<Addition> {
    const productId = body.product?.id;
    const refind = options.refind ?? (typeof productId === 'number' ? () => this.findByProduct(agreementId, productId) : undefined);
    return this.on(agreementId).createRecord(body, refind);
  }

  /** One PATCH with every operation, e.g. `[{ op: 'replace', path: 'quantity', value: 12 }]`. */
  patch(agreementId: number, additionId: number, ops: readonly PatchOperation<Addition>[]): Promise<Addition> {
    return this.on(agreementId).patch(additionId, ops);
  }
}
