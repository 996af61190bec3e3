import { Injectable } from '@nestjs/common';
import { nestLogger, toSafeError } from '@cwx/observability';
import { iterateAccounts, type PlatformAccount, type PlatformSource, type RejectedAccount } from '@cwx/platform';
import { Transactions } from '../database/database.module';
import { AppError } from '../http/app-error';
import { NotificationTriggers } from '../notifications/notification-triggers';
import { InjectPlatform } from '../platform/platform.module';
import { AccountsRepository, toAccountResponse } from './accounts.repository';
import type { AccountPageResponseDto, ListAccountsQueryDto, SyncAccountsResponseDto } from './mapping.dto';
import { FillSuggestions } from './suggestions.use-cases';

/** Rejected platform accounts listed in a sync's answer (the count covers them all). */
const REJECTED_SHOWN = 100;

/**
 * Reads the partner's accounts from the platform and records new ones (unmapped) and renames. An account
 * the platform lists in a form the contract refuses is left out and reported; it never stops the others.
 * When new accounts arrived, suggestions are filled right away (the `suggestions.pending` alert then says how
 * many wait); without ConnectWise credentials, or when ConnectWise fails, the sync still succeeds and says
 * why the suggestions were skipped.
 */
@Injectable()
export class SyncAccounts {
  private readonly logger = nestLogger(SyncAccounts.name);

  constructor(
    private readonly accounts: AccountsRepository,
    @InjectPlatform() private readonly platform: PlatformSource,
    private readonly transactions: Transactions,
    private readonly notify: NotificationTriggers,
    private readonly fill: FillSuggestions,
  ) {}

  async execute(command: { partnerId: string }): Promise<SyncAccountsResponseDto> {
    let total = 0;
    let added = 0;
    let renamed = 0;
    let batch: { id: string; name: string; status: PlatformAccount['status'] }[] = [];
    const rejected: RejectedAccount[] = [];
    let rejectedCount = 0;
    const onRejected = (items: RejectedAccount[]) => {
      rejectedCount += items.length;
      rejected.push(...items.slice(0, REJECTED_SHOWN - rejected.length));
    };
    const flush = async () => {
      const result = await this.accounts.upsertFromPlatform(command.partnerId, batch);
      added += result.added;
      renamed += result.renamed;
      batch = [];
    };
    for await (const account of iterateAccounts(this.platform, command.partnerId, undefined, onRejected)) {
      total += 1;
      batch.push({ id: account.id, name: account.name, status: account.status });
      if (batch.length >= 500) await flush();
    }
    await flush();
    // New accounts: suggestions first, so the alert names the accounts still unmapped (once per distinct set).
    const suggestions = added > 0 ? await this.suggest(command.partnerId) : null;
    await this.transactions.run((tx) => this.notify.accountsSynced(tx, command.partnerId, { added }));
    if (rejectedCount > 0) {
      this.logger.warn({ partnerId: command.partnerId, rejected: rejectedCount, first: rejected.slice(0, 5) }, 'platform accounts left out: they break the contract');
    }
    return {
      total,
      added,
      renamed,
      suggestions,
      rejected: rejectedCount,
      rejectedAccounts: rejected.map((r) => ({ index: r.index, accountId: r.id ?? null, problems: r.problems.map((p) => `${p.field}: ${p.problem}`) })),
    };
  }

  private async suggest(partnerId: string): Promise<SyncAccountsResponseDto['suggestions']> {
    try {
      return { ...(await this.fill.execute({ partnerId })), skipped: null };
    } catch (error) {
      const reason = error instanceof AppError ? error.message : 'suggestions failed; see the log';
      if (!(error instanceof AppError)) this.logger.warn({ partnerId, err: toSafeError(error) }, 'suggestions after the accounts sync failed');
      return { examined: 0, suggested: 0, ambiguous: 0, companies: 0, skipped: reason };
    }
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
