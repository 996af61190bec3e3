import { Injectable } from '@nestjs/common';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { CompanyMatcher } from '@cwx/matching';
import { accountMappings, type Database, lockPartnerAccounts } from '@cwx/persistence';
import { callConnectWise, ConnectWiseClients } from '../connectwise/connectwise-clients';
import { InjectDatabase } from '../database/database.module';
import { AppError } from '../http/app-error';
import { NotificationTriggers } from '../notifications/notification-triggers';
import { AccountsRepository, NO_SUGGESTION, toAccountResponse } from './accounts.repository';
import type { FillSuggestionsResponseDto, MappingChangeResponseDto } from './mapping.dto';
import { badField, versionMismatch } from './mapping-errors';
import { MapAccount } from './map-account.use-case';

/**
 * Fills suggestions for unmapped accounts from the partner's ConnectWise companies (libs/matching:
 * suggests only when confident and clearly ahead of the runner-up). Mapped accounts and accounts the
 * partner decided by hand are never touched; companies already mapped are never suggested.
 */
@Injectable()
export class FillSuggestions {
  constructor(
    @InjectDatabase() private readonly db: Database,
    private readonly accounts: AccountsRepository,
    private readonly clients: ConnectWiseClients,
    private readonly notify: NotificationTriggers,
  ) {}

  async execute(command: { partnerId: string }): Promise<FillSuggestionsResponseDto> {
    const client = await this.clients.forPartner(command.partnerId);
    const companies = await callConnectWise('reading the companies', async () => {
      const out: { id: number; identifier?: string; name: string }[] = [];
      for await (const c of client.companies.iterate({ conditions: 'deletedFlag = false', fields: ['id', 'identifier', 'name'] })) {
        if (typeof c.id === 'number' && c.name) out.push({ id: c.id, identifier: c.identifier, name: c.name });
      }
      return out;
    });
    const names = new Map(companies.map((c) => [c.id, c.name]));
    const rows = await this.accounts.all(command.partnerId);
    const taken = new Set(rows.filter((r) => r.state === 'mapped' && r.companyId !== null).map((r) => r.companyId as number));
    const open = rows.filter((r) => r.state !== 'mapped' && r.manualChoiceAt === null);
    const suggestions = new Map(
      new CompanyMatcher(companies).suggestAll(open.map((r) => ({ id: r.accountId, name: r.accountName })), { exclude: taken }).map((s) => [String(s.accountId), s]),
    );

    await this.db.transaction(async (tx) => {
      // Many statements in one transaction: rows first, or a concurrent edit could deadlock with it.
      await lockPartnerAccounts(tx, command.partnerId);
      for (const row of open) {
        const s = suggestions.get(row.accountId);
        const scope = and(
          eq(accountMappings.partnerId, command.partnerId),
          eq(accountMappings.accountId, row.accountId),
          eq(accountMappings.version, row.version),
          isNull(accountMappings.manualChoiceAt),
        );
        if (s) {
          const companyId = Number(s.companyId);
          if (row.state === 'suggested' && row.suggestedCompanyId === companyId && row.suggestionScore === s.score) continue;
          await tx
            .update(accountMappings)
            .set({
              state: 'suggested',
              suggestedCompanyId: companyId,
              suggestedCompanyName: names.get(companyId) ?? null,
              suggestionScore: s.score,
              suggestionReason: s.reason,
              version: sql`${accountMappings.version} + 1`,
              updatedAt: new Date(),
            })
            .where(scope);
        } else if (row.state === 'suggested') {
          await tx
            .update(accountMappings)
            .set({
              state: 'unmapped',
              ...NO_SUGGESTION,
              version: sql`${accountMappings.version} + 1`,
              updatedAt: new Date(),
            })
            .where(scope);
        }
      }
      await this.notify.suggestionsFilled(tx, command.partnerId);
    });
    return { examined: open.length, suggested: suggestions.size, companies: companies.length };
  }
}

/** Accepting a suggestion maps the account to the suggested company (with an existing or new agreement). */
@Injectable()
export class AcceptSuggestion {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly map: MapAccount,
  ) {}

  async execute(command: {
    partnerId: string;
    accountId: string;
    version: number;
    agreementId?: number;
    createAgreement?: { name?: string };
    exportEnabled?: boolean;
  }): Promise<MappingChangeResponseDto> {
    const row = await this.accounts.find(command.partnerId, command.accountId);
    if (!row) throw AppError.notFound(`Account ${command.accountId}`);
    if (row.state !== 'suggested' || row.suggestedCompanyId === null) throw badField('accountId', 'has no suggestion to accept');
    const createAgreement = command.agreementId === undefined ? (command.createAgreement ?? {}) : undefined;
    return this.map.execute({ ...command, companyId: row.suggestedCompanyId, createAgreement, requireState: 'suggested' });
  }
}

/** Rejecting a suggestion records a manual choice: later suggestion runs leave the account alone. */
@Injectable()
export class RejectSuggestion {
  constructor(private readonly accounts: AccountsRepository) {}

  async execute(command: { partnerId: string; accountId: string; version: number }): Promise<MappingChangeResponseDto> {
    const row = await this.accounts.find(command.partnerId, command.accountId);
    if (!row) throw AppError.notFound(`Account ${command.accountId}`);
    const updated = await this.accounts.update(command.partnerId, command.accountId, command.version, {
      state: row.state === 'mapped' ? 'mapped' : 'unmapped',
      ...NO_SUGGESTION,
      manualChoiceAt: new Date(),
    });
    if (!updated) throw versionMismatch(row.version);
    return { account: toAccountResponse(updated) };
  }
}
