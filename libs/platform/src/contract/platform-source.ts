import {
  DEFAULT_PAGE_SIZE,
  type AccountSubscription,
  type Page,
  type PageRequest,
  type PlatformAccount,
  type PlatformPartner,
  type PlatformSku,
  type PlatformUser,
  type RejectedAccount,
  type RetailPriceList,
} from './types';

/**
 * Read-only access to one platform's partner data. Every call is scoped to one partner; account
 * calls also name the account, so a worker reads one account at a time (10,000 accounts never sit in
 * memory with their users). Accounts are listed in ascending id order, page by page.
 *
 * Errors: `PlatformNotFoundError` (unknown partner or account), `PlatformUnavailableError`
 * (retryable), `PlatformUnauthorizedError`, `PlatformRequestRejectedError`, `PlatformInvalidDataError`.
 */
export interface PlatformSource {
  getPartner(partnerId: string): Promise<PlatformPartner>;
  listAccounts(partnerId: string, page?: PageRequest): Promise<Page<PlatformAccount>>;
  /** The partner's SKU catalogue, in ascending SKU order. */
  getSkus(partnerId: string): Promise<PlatformSku[]>;
  /** The partner's retail price list, in ascending SKU order. */
  getRetailPrices(partnerId: string): Promise<RetailPriceList>;
  /** One entry per SKU, summed across the account's plans, in ascending SKU order. */
  getSubscriptions(partnerId: string, accountId: string): Promise<AccountSubscription[]>;
  /** The account's users with their enabled services, in ascending user id order. */
  getUsers(partnerId: string, accountId: string): Promise<PlatformUser[]>;
}

/**
 * Every account of a partner, page after page. Pages are read one at a time, so memory stays at one
 * page. Accounts created or removed while iterating may be missed or seen twice (offset paging);
 * callers that need a snapshot should collect ids first.
 */
export async function* iterateAccounts(
  source: PlatformSource,
  partnerId: string,
  pageSize = DEFAULT_PAGE_SIZE * 5,
  onRejected?: (rejected: RejectedAccount[]) => void,
): AsyncGenerator<PlatformAccount> {
  for (let page = 1; ; page += 1) {
    const result = await source.listAccounts(partnerId, { page, pageSize });
    if (result.rejected?.length) onRejected?.(result.rejected);
    yield* result.items;
    if (result.items.length + (result.rejected?.length ?? 0) === 0 || page * result.pageSize >= result.total) return;
  }
}
