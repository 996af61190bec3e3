/**
 * The reconciliation view: per exported account and line, the platform's quantity and price against ConnectWise's,
 * with the difference; accounts that differ first. The platform side is what the next run would write: the export's
 * own account use-case (@cwx/jobs ExportAccount) plans it, with the partner's settings and billing control, and
 * compares (nothing is written). Read-only and without an export: ConnectWise with one additions list per account
 * through the partner's client (its budget, as the panel's). A window of accounts (by name) per request, so a large
 * partner is read a page at a time.
 */
import { Injectable } from '@nestjs/common';
import type { ExportAccount } from '@cwx/jobs';
import type { PlatformSource } from '@cwx/platform';
import { callConnectWise, ConnectWiseClients } from '../connectwise/connectwise-clients';
import { ExportUseCases } from '../database/database.module';
import { AppError } from '../http/app-error';
import { AccountsRepository } from '../mapping/accounts.repository';
import { InjectPlatform } from '../platform/platform.module';
import type { ReconciliationQueryDto, ReconciliationResponseDto, ReconciledAccountDto } from './review.dto';

@Injectable()
export class ReconcileAccounts {
  private readonly account: ExportAccount;

  constructor(
    private readonly accounts: AccountsRepository,
    exportUseCases: ExportUseCases,
    @InjectPlatform() platform: PlatformSource,
    clients: ConnectWiseClients,
  ) {
    this.account = exportUseCases.account({ platform, connect: async (partnerId: string) => ({ client: await clients.forPartner(partnerId) }) });
  }

  async execute(partnerId: string, query: ReconciliationQueryDto): Promise<ReconciliationResponseDto> {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    const exported = (await this.accounts.exported(partnerId)).sort(
      (a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId),
    );
    const chosen = query.accountId ? exported.filter((a) => a.accountId === query.accountId) : exported.slice(offset, offset + limit);
    if (query.accountId && chosen.length === 0) throw AppError.notFound(`Exported account ${query.accountId}`);
    const accounts: ReconciledAccountDto[] = [];
    for (const account of chosen) {
      const { accountId, agreementId } = account;
      const reconciled = await callConnectWise("reading the agreement's additions", () => this.account.reconciliation({ partnerId, accountId }));
      if (reconciled) accounts.push({ accountId, accountName: account.accountName, agreementId, ...reconciled });
    }
    accounts.sort(
      (a, b) =>
        Number(b.differing > 0) - Number(a.differing > 0) ||
        Math.abs(b.monthlyDifference) - Math.abs(a.monthlyDifference) ||
        a.accountName.localeCompare(b.accountName),
    );
    return { accounts, offset: query.accountId ? 0 : offset, limit, total: exported.length, differingAccounts: accounts.filter((a) => a.differing > 0).length };
  }
}
