import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AccountExporter, CatalogExporter, collectCatalogSkus, drizzleExportStores, ExportError, type AccountResult } from '@cwx/export';
import { toExportSettings } from '@cwx/jobs';
import type { Database } from '@cwx/persistence';
import type { PlatformSource } from '@cwx/platform';
import { ConnectWiseClients } from '../connectwise/connectwise-clients';
import { InjectDatabase } from '../database/database.module';
import { AppError, AppErrorCode } from '../http/app-error';
import { AccountsRepository } from '../mapping/accounts.repository';
import { InjectPlatform } from '../platform/platform.module';
import { SettingsRepository } from '../settings/settings.repository';
import type { AccountPreviewResponseDto, PreviewResponseDto } from './preview.dto';

/**
 * The plan of an export without applying it: the same catalog and account planning the workers run,
 * in dry-run mode (ConnectWise is read, nothing is written there or here). SKUs whose catalog item
 * does not exist yet show as skipped: the export creates the item first.
 */
@Injectable()
export class PreviewExport {
  constructor(
    @InjectDatabase() private readonly db: Database,
    @InjectPlatform() private readonly platform: PlatformSource,
    private readonly clients: ConnectWiseClients,
    private readonly accounts: AccountsRepository,
    private readonly settings: SettingsRepository,
  ) {}

  async execute(command: { partnerId: string; accountId?: string; page?: number; pageSize?: number }): Promise<PreviewResponseDto> {
    const { partnerId } = command;
    const page = command.page ?? 1;
    const pageSize = command.pageSize ?? 20;
    const exported = (await this.accounts.all(partnerId, { state: 'mapped', exportEnabled: true })).sort((a, b) => a.accountId.localeCompare(b.accountId));
    const chosen = command.accountId ? exported.filter((a) => a.accountId === command.accountId) : exported.slice((page - 1) * pageSize, page * pageSize);
    if (command.accountId && chosen.length === 0) throw AppError.notFound(`Exported account ${command.accountId}`);

    const client = await this.clients.forPartner(partnerId);
    const settingsRow = await this.settings.find(partnerId);
    const settings = toExportSettings(settingsRow);
    const stores = drizzleExportStores(this.db);
    const runDate = DateTime.now().setZone(settingsRow?.timeZone ?? 'UTC').toISODate() ?? new Date().toISOString().slice(0, 10);
    try {
      const catalog = await new CatalogExporter({ connectwise: client, catalogItems: stores.catalogItems }).run({
        partnerId,
        settings,
        defaults: { subcategoryId: settingsRow?.catalogSubcategoryId, productTypeId: settingsRow?.productTypeId, unitOfMeasureId: settingsRow?.unitOfMeasureId },
        skus: await collectCatalogSkus(this.platform, partnerId, chosen.map((a) => a.accountId)),
        dryRun: true,
      });
      const catalogMap = new Map(catalog.catalog.map((c) => [c.sku, c.catalogItemId]));
      const exporter = new AccountExporter({ platform: this.platform, connectwise: client, ownership: stores.ownership, usersCsv: stores.usersCsv });
      const accounts: AccountPreviewResponseDto[] = [];
      for (const account of chosen) {
        const result = await exporter.run({
          runId: 'preview',
          partnerId,
          accountId: account.accountId,
          accountName: account.accountName,
          agreementId: account.agreementId as number,
          settings,
          catalog: catalogMap,
          runDate,
          dryRun: true,
        });
        accounts.push(toPreview(result));
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

function toPreview(result: AccountResult): AccountPreviewResponseDto {
  return {
    accountId: result.accountId,
    accountName: result.accountName,
    status: result.status,
    operations: result.operations as AccountPreviewResponseDto['operations'],
    warnings: result.warnings,
    error: result.error ? { kind: result.error.kind, message: result.error.message, ...(result.error.code ? { code: result.error.code } : {}) } : null,
  };
}
