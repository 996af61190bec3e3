import { Injectable } from '@nestjs/common';
import { ExportError } from '@cwx/export';
import { type AccountOutcome, type ExportAccount, type ExportCatalog, runPrepared } from '@cwx/jobs';
import { nestLogger } from '@cwx/observability';
import type { PlatformSource } from '@cwx/platform';
import { ConnectWiseClients } from '../connectwise/connectwise-clients';
import { ExportUseCases } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';
import { AccountsRepository } from '../mapping/accounts.repository';
import { InjectPlatform } from '../platform/platform.module';
import type { AccountPreviewResponseDto, PreviewResponseDto } from './preview.dto';

/**
 * The plan of an export without applying it: the workers' use-cases (@cwx/jobs ExportCatalog, ExportAccount) in
 * dry-run mode, through the partner's client as the panel's (ConnectWise is read, nothing is written there or here).
 * SKUs whose catalog item does not exist yet show as skipped: the export creates the item first.
 */
@Injectable()
export class PreviewExport {
  private readonly catalog: ExportCatalog;
  private readonly account: ExportAccount;

  constructor(
    private readonly accounts: AccountsRepository,
    exportUseCases: ExportUseCases,
    @InjectPlatform() platform: PlatformSource,
    clients: ConnectWiseClients,
  ) {
    const deps = { platform, connect: async (partnerId: string) => ({ client: await clients.forPartner(partnerId) }), logger: nestLogger('PreviewExport') };
    this.catalog = exportUseCases.catalog(deps);
    this.account = exportUseCases.account(deps);
  }

  async execute(command: { partnerId: string; accountId?: string; page?: number; pageSize?: number }): Promise<PreviewResponseDto> {
    const { partnerId } = command;
    const page = command.page ?? 1;
    const pageSize = command.pageSize ?? 20;
    const exported = (await this.accounts.exported(partnerId)).sort((a, b) => a.accountId.localeCompare(b.accountId));
    const chosen = command.accountId ? exported.filter((a) => a.accountId === command.accountId) : exported.slice((page - 1) * pageSize, page * pageSize);
    if (command.accountId && chosen.length === 0) throw AppError.notFound(`Exported account ${command.accountId}`);

    try {
      const catalog = await runPrepared(await this.catalog.prepare({ partnerId, preview: { accountIds: chosen.map((a) => a.accountId) } }));
      const planned = new Map(catalog.catalog.map((c) => [c.sku, c.catalogItemId]));
      const accounts: AccountPreviewResponseDto[] = [];
      for (const { accountId } of chosen) {
        const prepared = await this.account.prepare({ partnerId, accountId, preview: { catalog: planned } });
        accounts.push(toPreview(accountId, prepared.accountName, await runPrepared(prepared)));
      }
      return { catalog: catalog.operations as PreviewResponseDto['catalog'], accounts, page, pageSize, total: exported.length, applied: false };
    } catch (error) {
      if (error instanceof ExportError) {
        throw new AppError(AppErrorCode.ConnectWiseUnavailable, `The preview could not be computed: ${error.reason.message}`);
      }
      throw error;
    }
  }
}

function toPreview(accountId: string, accountName: string, result: AccountOutcome): AccountPreviewResponseDto {
  return {
    accountId,
    accountName,
    status: result.status,
    operations: result.operations as AccountPreviewResponseDto['operations'],
    warnings: result.warnings,
    error: result.error ? { kind: result.error.kind, message: result.error.message, ...(result.error.code ? { code: result.error.code } : {}) } : null,
  };
}
