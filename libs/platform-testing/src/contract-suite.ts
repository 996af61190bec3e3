/// <reference types="jest" />
import { iterateAccounts, PlatformNotFoundError, PlatformRequestRejectedError, type PlatformSource } from '@cwx/platform';
import { SAMPLE_PARTNER_ID as P } from './sample-folder';

/**
 * The behaviour every `PlatformSource` must show, over the sample partner (sample-folder.ts). Each
 * adapter's spec calls this with a factory that serves that data its own way.
 */
export interface ContractFixture {
  source: PlatformSource;
  close: () => Promise<void>;
}

export function describePlatformSourceContract(name: string, setup: () => Promise<ContractFixture>): void {
  describe(`PlatformSource contract: ${name}`, () => {
    let source: PlatformSource;
    let fixture: ContractFixture;

    beforeAll(async () => {
      fixture = await setup();
      source = fixture.source;
    });
    afterAll(async () => fixture.close());

    it('reads the partner with its currency', async () => {
      await expect(source.getPartner(P)).resolves.toEqual({ id: P, name: 'Sample MSP Ltd', currency: 'GBP' });
    });

    it('says which partner is unknown, for every partner-scoped call', async () => {
      const calls = [
        () => source.getPartner('nobody'),
        () => source.listAccounts('nobody'),
        () => source.getSkus('nobody'),
        () => source.getRetailPrices('nobody'),
        () => source.getSubscriptions('nobody', 'acc-1'),
        () => source.getUsers('nobody', 'acc-1'),
      ];
      for (const call of calls) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PlatformNotFoundError);
        expect(error).toMatchObject({ resource: 'partner', partnerId: 'nobody', retryable: false });
      }
    });

    it('pages accounts in ascending id order with a total', async () => {
      const first = await source.listAccounts(P, { page: 1, pageSize: 2 });
      const second = await source.listAccounts(P, { page: 2, pageSize: 2 });
      expect(first).toEqual({
        items: [
          { id: 'acc-1', name: 'Alpha & Omega Ltd', status: 'active' },
          { id: 'acc-2', name: '=Beta Logistics GmbH', status: 'suspended' },
        ],
        page: 1,
        pageSize: 2,
        total: 3,
      });
      expect(second.items.map((a) => a.id)).toEqual(['acc-3']);
      expect((await source.listAccounts(P, { page: 9, pageSize: 2 })).items).toEqual([]);
      expect((await source.listAccounts(P)).pageSize).toBe(100);
    });

    it('rejects page sizes outside 1..1000 instead of clamping them', async () => {
      await expect(source.listAccounts(P, { pageSize: 0 })).rejects.toBeInstanceOf(PlatformRequestRejectedError);
      await expect(source.listAccounts(P, { pageSize: 1001 })).rejects.toBeInstanceOf(PlatformRequestRejectedError);
      await expect(source.listAccounts(P, { page: 0 })).rejects.toBeInstanceOf(PlatformRequestRejectedError);
    });

    it('iterates every account exactly once across pages', async () => {
      const ids: string[] = [];
      for await (const account of iterateAccounts(source, P, 1)) ids.push(account.id);
      expect(ids).toEqual(['acc-1', 'acc-2', 'acc-3']);
    });

    it('lists the SKU catalogue by SKU, optional fields only where given', async () => {
      await expect(source.getSkus(P)).resolves.toEqual([
        { sku: 'ACR-BKP-GB', name: 'Acronis Cloud Backup Storage (per GB)', unit: 'GB' },
        { sku: 'DOMAIN-COM', name: 'Domain registration (.com)' },
        { sku: 'MS-M365-BP', name: 'Microsoft 365 Business Premium', description: 'Office, Intune, Defender', unit: 'user' },
      ]);
    });

    it('returns retail prices in the partner currency, rounded to 4 decimals, without unpriced SKUs', async () => {
      await expect(source.getRetailPrices(P)).resolves.toEqual({
        currency: 'GBP',
        prices: [
          { sku: 'ACR-BKP-GB', price: 0.0612 },
          { sku: 'MS-M365-BP', price: 26.5 },
        ],
      });
    });

    it('sums subscriptions across plans: one entry per SKU at the quantity-weighted cost', async () => {
      await expect(source.getSubscriptions(P, 'acc-1')).resolves.toEqual([
        { sku: 'ACR-BKP-GB', quantity: 250.5, unitCost: 0.0375 },
        { sku: 'DOMAIN-COM', quantity: 0, unitCost: 1.05 },
        { sku: 'MS-M365-BP', quantity: 15, unitCost: 19 },
      ]);
    });

    it('returns users by id with enabled services only, each once', async () => {
      await expect(source.getUsers(P, 'acc-1')).resolves.toEqual([
        { id: 'u-1', email: 'al@alpha.example', displayName: '+Al Brown', services: [] },
        { id: 'u-2', email: 'zoe@alpha.example', displayName: 'Zoë Adams', services: ['Exchange Online'] },
      ]);
    });

    it('gives a listed account without data no subscriptions and no users', async () => {
      await expect(source.getSubscriptions(P, 'acc-3')).resolves.toEqual([]);
      await expect(source.getUsers(P, 'acc-3')).resolves.toEqual([]);
    });

    it('says which account is unknown, including ids that are not safe as a path', async () => {
      for (const accountId of ['acc-404', '../acc-1', 'acc-1/..']) {
        for (const call of [() => source.getSubscriptions(P, accountId), () => source.getUsers(P, accountId)]) {
          const error = await call().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(PlatformNotFoundError);
          expect(error).toMatchObject({ resource: 'account', partnerId: P, accountId });
        }
      }
    });
  });
}
