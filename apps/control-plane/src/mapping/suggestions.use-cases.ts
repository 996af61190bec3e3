import { Injectable } from '@nestjs/common';
import { CompanyMatcher, type MatchOutcome, PartnerKnowledge } from '@cwx/matching';
import { callConnectWise, ConnectWiseClients } from '../connectwise/connectwise-clients';
import { AppError } from '../http/app-error';
import { NotificationTriggers } from '../notifications/notification-triggers';
import { type AccountRow, AccountsRepository, NO_SUGGESTION, type SuggestionColumns, toAccountResponse } from './accounts.repository';
import type { FillSuggestionsResponseDto, MappingChangeResponseDto } from './mapping.dto';
import { badField, versionMismatch } from './mapping-errors';
import { MapAccount } from './map-account.use-case';

/**
 * Fills suggestions for unmapped accounts from the partner's ConnectWise companies (libs/matching: suggests
 * only when confident and clearly ahead of the runner-up; marks an account ambiguous, with its candidates, when
 * sibling companies share its name). What the partner taught is used: its mapped accounts (accepted pairs) and
 * account names (libs/matching PartnerKnowledge), and the pairs it rejected, never suggested again. Mapped
 * accounts and accounts the partner decided by hand are never touched; companies already mapped are never
 * suggested.
 */
@Injectable()
export class FillSuggestions {
  constructor(
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
    const rejected = await this.accounts.rejections(command.partnerId);
    const mapped = rows.filter((r) => r.state === 'mapped' && r.companyId !== null);
    const taken = new Set(mapped.map((r) => r.companyId as number));
    const open = rows.filter((r) => r.state !== 'mapped' && r.manualChoiceAt === null);
    const knowledge = new PartnerKnowledge(
      mapped.filter((r) => r.companyName).map((r) => ({ accountName: r.accountName, companyName: r.companyName as string })),
      rows.map((r) => r.accountName),
    );
    const matcher = new CompanyMatcher(companies, { knowledge });
    const outcomes = new Map(
      open.map((r) => [r.accountId, matcher.match({ id: r.accountId, name: r.accountName }, { exclude: taken, rejected: rejected.get(r.accountId) })]),
    );

    let suggested = 0;
    let ambiguous = 0;
    const updates: { accountId: string; version: number; columns: SuggestionColumns }[] = [];
    for (const row of open) {
      const outcome = outcomes.get(row.accountId)!;
      const next = suggestionColumns(outcome, names);
      if (outcome.kind === 'suggestion') suggested++;
      if (outcome.kind === 'ambiguous') ambiguous++;
      if (!sameSuggestion(row, next)) updates.push({ accountId: row.accountId, version: row.version, columns: next });
    }
    await this.accounts.writeSuggestions(command.partnerId, updates, (tx) => this.notify.suggestionsFilled(tx, command.partnerId));
    return { examined: open.length, suggested, ambiguous, companies: companies.length };
  }
}


/** The row's suggestion columns for a matcher outcome (an account without one goes back to `unmapped`). */
function suggestionColumns(outcome: MatchOutcome, names: ReadonlyMap<number, string>): SuggestionColumns {
  if (outcome.kind === 'suggestion') {
    const s = outcome.suggestion;
    const companyId = Number(s.companyId);
    return {
      ...NO_SUGGESTION,
      state: 'suggested',
      suggestedCompanyId: companyId,
      suggestedCompanyName: names.get(companyId) ?? null,
      suggestionScore: s.score,
      suggestionReason: s.reason,
      suggestionTier: s.tier,
      suggestionLearned: s.learned && s.learned.length > 0 ? [...s.learned] : null,
    };
  }
  if (outcome.kind === 'ambiguous') {
    const candidates = outcome.ambiguous.candidates.map((c) => ({
      companyId: Number(c.companyId),
      companyName: names.get(Number(c.companyId)) ?? null,
      score: c.score,
      reason: c.reason,
    }));
    return { ...NO_SUGGESTION, state: 'unmapped', suggestionReason: outcome.ambiguous.reason, suggestionCandidates: candidates };
  }
  return { ...NO_SUGGESTION, state: 'unmapped' };
}

function sameSuggestion(row: AccountRow, next: SuggestionColumns): boolean {
  return (Object.keys(next) as (keyof SuggestionColumns)[]).every((k) => JSON.stringify(row[k] ?? null) === JSON.stringify(next[k] ?? null));
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

/**
 * Rejecting a suggestion (or every candidate of an ambiguous account) records the pair: that company is never
 * suggested for this account again. The account stays open: a later fill may suggest another company for it.
 */
@Injectable()
export class RejectSuggestion {
  constructor(private readonly accounts: AccountsRepository) {}

  async execute(command: { partnerId: string; accountId: string; version: number }): Promise<MappingChangeResponseDto> {
    const row = await this.accounts.find(command.partnerId, command.accountId);
    if (!row) throw AppError.notFound(`Account ${command.accountId}`);
    if (row.version !== command.version) throw versionMismatch(row.version);
    const offered =
      row.state === 'suggested' && row.suggestedCompanyId !== null
        ? [{ companyId: row.suggestedCompanyId, companyName: row.suggestedCompanyName }]
        : (row.suggestionCandidates ?? []);
    if (offered.length === 0) throw badField('accountId', 'has no suggestion to reject');
    const updated = await this.accounts.rejectSuggestion(row, offered);
    if (!updated) throw versionMismatch((await this.accounts.find(command.partnerId, command.accountId))?.version);
    return { account: toAccountResponse(updated) };
  }
}
