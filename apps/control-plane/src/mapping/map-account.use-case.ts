import { Injectable } from '@nestjs/common';
import { runDateOf } from '@cwx/domain';
import { ConnectWiseClients } from '../connectwise/connectwise-clients';
import { AppError, AppErrorCode } from '../http/app-error';
import { SettingsRepository } from '../settings/settings.repository';
import { AccountsRepository, NO_SUGGESTION, toAccountResponse, type AccountRow } from './accounts.repository';
import { createAgreement, createCompany, existingAgreement, existingCompany, type NewCompany, type Target } from './connectwise-targets';
import type { MappingChangeResponseDto } from './mapping.dto';
import { badField, NOTHING_REMOVED_WARNING, versionMismatch } from './mapping-errors';

export interface MapAccountCommand {
  partnerId: string;
  accountId: string;
  version: number;
  companyId?: number;
  createCompany?: NewCompany;
  agreementId?: number;
  createAgreement?: { name?: string };
  exportEnabled?: boolean;
  /** Only map when the row is in this state (accepting a suggestion). */
  requireState?: AccountRow['state'];
}

/**
 * Maps an account to a ConnectWise company and agreement: existing ones are checked to exist and to
 * belong together; new ones are created in ConnectWise first. The row is written with the version the
 * caller read, so two concurrent edits never silently lose one.
 */
@Injectable()
export class MapAccount {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly clients: ConnectWiseClients,
    private readonly settings: SettingsRepository,
  ) {}

  async execute(command: MapAccountCommand): Promise<MappingChangeResponseDto> {
    const { partnerId, accountId } = command;
    const row = await this.accounts.find(partnerId, accountId);
    if (!row) throw AppError.notFound(`Account ${accountId}`);
    if (row.version !== command.version) throw versionMismatch(row.version);
    if (command.requireState && row.state !== command.requireState) {
      throw badField('state', `must be ${command.requireState} (it is ${row.state})`);
    }
    checkChoices(command);

    const client = await this.clients.forPartner(partnerId);
    let createdCompany: Target | null = null;
    let createdAgreement: Target | null = null;
    const company = command.createCompany
      ? (createdCompany = await createCompany(client, command.createCompany))
      : await existingCompany(client, command.companyId as number, 'companyId');
    let agreement: Target;
    if (command.agreementId !== undefined && !createdCompany) {
      const taken = await this.accounts.mappedToAgreement(partnerId, command.agreementId, accountId);
      if (taken) {
        throw new AppError(
          AppErrorCode.Conflict,
          `Agreement ${command.agreementId} is already mapped to account "${taken.accountName}"; each agreement takes one account (its additions are owned per SKU).`,
        );
      }
      agreement = await existingAgreement(client, command.agreementId, company.id, 'agreementId');
    } else {
      const settings = await this.settings.find(partnerId);
      const today = runDateOf({ createdAt: new Date() }, settings?.timeZone);
      const name = (command.createAgreement?.name ?? `${row.accountName} - Cloud services`).slice(0, 100);
      agreement = createdAgreement = await createAgreement(
        client,
        company,
        name,
        { agreementTypeId: settings?.agreementTypeId ?? null, billingCycleId: settings?.billingCycleId ?? null },
        today,
      );
    }

    const updated = await this.accounts.update(partnerId, accountId, command.version, {
      state: 'mapped',
      companyId: company.id,
      companyName: company.name,
      agreementId: agreement.id,
      agreementName: agreement.name,
      exportEnabled: command.exportEnabled ?? true,
      ...NO_SUGGESTION,
      manualChoiceAt: new Date(),
    });
    if (!updated) {
      const created = [createdCompany && `company ${createdCompany.id}`, createdAgreement && `agreement ${createdAgreement.id}`].filter(Boolean);
      const error = versionMismatch((await this.accounts.find(partnerId, accountId))?.version);
      if (created.length > 0) error.message += ` ConnectWise now holds the ${created.join(' and ')} created for this request: map to them.`;
      throw error;
    }
    const replaced = row.state === 'mapped' && (row.companyId !== company.id || row.agreementId !== agreement.id);
    return {
      account: toAccountResponse(updated),
      ...(replaced ? { warning: NOTHING_REMOVED_WARNING } : {}),
      createdCompany,
      createdAgreement,
    };
  }
}

function checkChoices(command: MapAccountCommand): void {
  if ((command.companyId === undefined) === (command.createCompany === undefined)) {
    throw badField('companyId', 'or createCompany: give exactly one');
  }
  if (command.agreementId !== undefined && command.createAgreement !== undefined) {
    throw badField('agreementId', 'and createAgreement cannot both be given');
  }
  if (command.createCompany && command.agreementId !== undefined) {
    throw badField('agreementId', 'cannot belong to a company that is being created; use createAgreement');
  }
  if (command.agreementId === undefined && command.createAgreement === undefined) {
    throw badField('agreementId', 'or createAgreement: give one');
  }
}
