import { sortSkus, sumPlanLines, toPlatformUsers, toRetailPriceList } from '../contract/normalize';
import { paginate } from '../contract/paging';
import type { PlatformSource } from '../contract/platform-source';
import type {
  AccountSubscription,
  Page,
  PageRequest,
  PlatformAccount,
  PlatformPartner,
  PlatformSku,
  PlatformUser,
  RetailPriceList,
} from '../contract/types';
import { PlatformFolderStore } from './folder-store';

/** `PlatformSource` over a data folder (layout in folder-store.ts and README.md). */
export class FolderPlatformSource implements PlatformSource {
  private readonly store: PlatformFolderStore;

  constructor(dataDirOrStore: string | PlatformFolderStore) {
    this.store = typeof dataDirOrStore === 'string' ? new PlatformFolderStore(dataDirOrStore) : dataDirOrStore;
  }

  async getPartner(partnerId: string): Promise<PlatformPartner> {
    const { id, name, currency } = await this.store.readPartner(partnerId);
    return { id, name, currency };
  }

  async listAccounts(partnerId: string, request: PageRequest = {}): Promise<Page<PlatformAccount>> {
    const { sorted, rejected } = await this.store.readAccounts(partnerId);
    const page = paginate(sorted, request, (a) => ({ id: a.id, name: a.name, status: a.status }));
    return page.page === 1 && rejected.length > 0 ? { ...page, rejected } : page;
  }

  async getSkus(partnerId: string): Promise<PlatformSku[]> {
    return sortSkus((await this.store.readSkus(partnerId)).items);
  }

  async getRetailPrices(partnerId: string): Promise<RetailPriceList> {
    const [{ currency }, { items }] = await Promise.all([
      this.store.readPartner(partnerId),
      this.store.readRetailPrices(partnerId),
    ]);
    return toRetailPriceList(currency, items);
  }

  async getSubscriptions(partnerId: string, accountId: string): Promise<AccountSubscription[]> {
    return sumPlanLines((await this.store.readAccount(partnerId, accountId)).subscriptions);
  }

  async getUsers(partnerId: string, accountId: string): Promise<PlatformUser[]> {
    return toPlatformUsers((await this.store.readAccount(partnerId, accountId)).users);
  }
}
