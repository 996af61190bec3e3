import { Injectable } from '@nestjs/common';
import type { Database } from '@cwx/persistence';
import { iterateAccounts, type PlatformSource } from '@cwx/platform';
import { InjectDatabase } from '../database/database.module';
import { NotificationTriggers } from '../notifications/notification-triggers';
import { InjectPlatform } from '../platform/platform.module';
import { AccountsRepository, toAccountResponse } from './accounts.repository';
import type { AccountPageResponseDto, ListAccountsQueryDto, SyncAccountsResponseDto } from './mapping.dto';

/** Reads the partner's accounts from the platform and records new ones (unmapped) and renames. */
@Injectable()
export class SyncAccounts {
  constructor(
    private readonly accounts: AccountsRepository,
    @InjectPlatform() private readonly platform: PlatformSource,
    @InjectDatabase() private readonly db: Database,
    private readonly notify: NotificationTriggers,
  ) {}

  async execute(command: { partnerId: string }): Promise<SyncAccountsResponseDto> {
    let total = 0;
    let added = 0;
    let renamed = 0;
    let batch: { id: string; name: string }[] = [];
    const flush = async () => {
      const result = await this.accounts.upsertFromPlatform(command.partnerId, batch);
      added += result.added;
      renamed += result.renamed;
      batch = [];
    };
    for await (const account of iterateAccounts(this.platform, command.partnerId)) {
      total += 1;
      batch.push({ id: account.id, name: account.name });
      if (batch.length >= 500) await flush();
    }
    await flush();
    // New accounts not yet mapped: an alert (once per distinct set of unmapped accounts).
    await this.db.transaction((tx) => this.notify.accountsSynced(tx, command.partnerId, { added }));
    return { total, added, renamed };
  }
}

/** The mapping step's list: paged, filtered by state and Export flag, searchable by name. */
@Injectable()
export class ListAccounts {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sync: SyncAccounts,
  ) {}

  async execute(command: { partnerId: string; query: ListAccountsQueryDto }): Promise<AccountPageResponseDto> {
    const { query } = command;
    // The first visit fills the list from the platform; later visits refresh through POST …/accounts/sync.
    if (!(await this.accounts.anyFor(command.partnerId))) await this.sync.execute({ partnerId: command.partnerId });
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const result = await this.accounts.page(
      command.partnerId,
      {
        state: query.state,
        exportEnabled: query.export === undefined ? undefined : query.export === 'true',
        nameContains: query.q,
      },
      page,
      pageSize,
    );
    return { items: result.rows.map(toAccountResponse), page, pageSize, total: result.total };
  }
}
