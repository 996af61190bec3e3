import { cwEquals } from '../conditions';
import type { CreateOptions } from '../create';
import type { ListQuery } from '../paging';
import type { Company, CompanyStatus, CompanyType, Contact, NewRecord } from '../types';
import { Collection, checkId, type ResourceContext } from './collection';

/** `/company/companies`, its statuses and types. */
export class CompaniesResource extends Collection<Company> {
  private readonly statuses: Collection<CompanyStatus>;
  private readonly types: Collection<CompanyType>;

  constructor(ctx: ResourceContext) {
    super(ctx, '/company/companies');
    this.statuses = new Collection(ctx, '/company/companies/statuses');
    this.types = new Collection(ctx, '/company/companies/types');
  }

  findByIdentifier(identifier: string): Promise<Company | undefined> {
    return this.findFirst(cwEquals('identifier', identifier));
  }

  /** Re-finds by identifier (unique in ConnectWise) unless `options.refind` says otherwise. */
  create(body: NewRecord<Company>, options: CreateOptions<Company> = {}): Promise<Company> {
    return this.createRecord(body, options.refind ?? (() => this.findByIdentifier(body.identifier)));
  }

  listStatuses(query?: ListQuery): Promise<CompanyStatus[]> {
    return this.statuses.list(query);
  }

  listTypes(query?: ListQuery): Promise<CompanyType[]> {
    return this.types.list(query);
  }
}

/** `/company/contacts`. */
export class ContactsResource extends Collection<Contact> {
  constructor(ctx: ResourceContext) {
    super(ctx, '/company/contacts');
  }

  listByCompany(companyId: number, query: Omit<ListQuery, 'conditions'> = {}): Promise<Contact[]> {
    return this.list({ ...query, conditions: cwEquals('company/id', checkId(companyId)) });
  }

  /** No natural key: without `options.refind`, an ambiguous failure is thrown (outcomeUnknown), never re-sent. */
  create(body: NewRecord<Contact>, options: CreateOptions<Contact> = {}): Promise<Contact> {
    return this.createRecord(body, options.refind);
  }
}
