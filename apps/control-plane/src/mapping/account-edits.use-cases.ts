import { Injectable } from '@nestjs/common';
import { AppError, AppErrorCode } from '../http/app-error';
import { AccountsRepository, NO_SUGGESTION, toAccountResponse } from './accounts.repository';
import type { BulkExportItemRequestDto, BulkItemResultResponseDto, MappingChangeResponseDto } from './mapping.dto';
import { NOTHING_REMOVED_WARNING, versionMismatch } from './mapping-errors';

/** Unmapping forgets the company and agreement here; nothing is removed from ConnectWise. */
@Injectable()
export class UnmapAccount {
  constructor(private readonly accounts: AccountsRepository) {}

  async execute(command: { partnerId: string; accountId: string; version: number }): Promise<MappingChangeResponseDto> {
    const row = await this.accounts.find(command.partnerId, command.accountId);
    if (!row) throw AppError.notFound(`Account ${command.accountId}`);
    const updated = await this.accounts.update(command.partnerId, command.accountId, command.version, {
      state: 'unmapped',
      companyId: null,
      companyName: null,
      agreementId: null,
      agreementName: null,
      exportEnabled: false,
      ...NO_SUGGESTION,
      manualChoiceAt: new Date(),
    });
    if (!updated) throw versionMismatch(row.version);
    return { account: toAccountResponse(updated), ...(row.state === 'mapped' ? { warning: NOTHING_REMOVED_WARNING } : {}) };
  }
}

/** The Export checkbox; only a mapped account can be exported. */
@Injectable()
export class SetAccountExport {
  constructor(private readonly accounts: AccountsRepository) {}

  async execute(command: { partnerId: string; accountId: string; version: number; exportEnabled: boolean }) {
    const row = await this.accounts.find(command.partnerId, command.accountId);
    if (!row) throw AppError.notFound(`Account ${command.accountId}`);
    if (command.exportEnabled && row.state !== 'mapped') {
      throw new AppError(AppErrorCode.Conflict, 'Map the account to a company and agreement before exporting it.');
    }
    const updated = await this.accounts.update(command.partnerId, command.accountId, command.version, { exportEnabled: command.exportEnabled });
    if (!updated) throw versionMismatch(row.version);
    return toAccountResponse(updated);
  }

  /** Several Export flags at once; each item succeeds or fails on its own, with its outcome reported. */
  async bulk(partnerId: string, items: BulkExportItemRequestDto[]): Promise<BulkItemResultResponseDto[]> {
    const results: BulkItemResultResponseDto[] = [];
    for (const item of items) {
      try {
        const updated = await this.execute({ partnerId, ...item });
        results.push({ accountId: item.accountId, outcome: 'updated', version: updated.version });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const outcome =
          error.code === AppErrorCode.NotFound ? 'not_found' : error.code === AppErrorCode.Conflict ? 'not_mapped' : 'version_mismatch';
        results.push({ accountId: item.accountId, outcome });
      }
    }
    return results;
  }
}
