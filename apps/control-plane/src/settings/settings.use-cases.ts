import { Injectable } from '@nestjs/common';
import { DEFAULT_BILLING_CONTROL, DEFAULT_EXPORT_SETTINGS } from '@cwx/domain';
import { ConnectWiseClients } from '../connectwise/connectwise-clients';
import { AppError, AppErrorCode, type FieldProblem } from '../http/app-error';
import { isKnownTimeZone } from '../scheduler/schedule';
import { readOptions } from './connectwise-options.use-case';
import type { ConnectWiseOptionsResponseDto, SaveSettingsRequestDto, SettingsResponseDto } from './settings.dto';
import { SettingsRepository, type SettingsRow, type SettingsValues } from './settings.repository';

const D = DEFAULT_EXPORT_SETTINGS;
/** A partner who saved no settings: the export's defaults (@cwx/domain DEFAULT_EXPORT_SETTINGS, the columns' defaults too). */
const DEFAULTS: SettingsResponseDto = {
  version: 0,
  exportMode: 'manual',
  dailyTime: null,
  timeZone: 'UTC',
  data: { products: D.products, quantity: D.quantity, cost: D.cost, retailPrice: D.retailPrice, usersList: D.usersList },
  disappearedSku: D.disappearedSku.mode,
  missingRetailPrice: D.missingRetailPrice,
  suspendedAccounts: D.suspendedAccounts,
  cancelledAccounts: D.cancelledAccounts,
  unmappedSkus: DEFAULT_BILLING_CONTROL.unmapped,
  connectwiseDefaults: { catalogSubcategoryId: null, productTypeId: null, unitOfMeasureId: null, agreementTypeId: null, billingCycleId: null },
};

export function toSettingsResponse(row: SettingsRow | undefined): SettingsResponseDto {
  if (!row) return DEFAULTS;
  return {
    version: row.version,
    exportMode: row.mode,
    dailyTime: row.dailyTime,
    timeZone: row.timeZone,
    data: {
      products: row.exportProducts,
      quantity: row.exportQuantity,
      cost: row.exportCost,
      retailPrice: row.exportRetailPrice,
      usersList: row.exportUsersList,
    },
    disappearedSku: row.disappearedSku,
    missingRetailPrice: row.missingRetailPrice,
    suspendedAccounts: row.suspendedAccounts,
    cancelledAccounts: row.cancelledAccounts,
    unmappedSkus: row.unmappedSkus,
    connectwiseDefaults: {
      catalogSubcategoryId: row.catalogSubcategoryId,
      productTypeId: row.productTypeId,
      unitOfMeasureId: row.unitOfMeasureId,
      agreementTypeId: row.agreementTypeId,
      billingCycleId: row.billingCycleId,
    },
  };
}

@Injectable()
export class GetSettings {
  constructor(private readonly settings: SettingsRepository) {}

  async execute(command: { partnerId: string }): Promise<SettingsResponseDto> {
    return toSettingsResponse(await this.settings.find(command.partnerId));
  }
}

/**
 * Step 2. The ConnectWise defaults must exist (and be active) in the partner's ConnectWise, read live;
 * a daily export needs a time and a known IANA zone. Optimistic versioning: the write carries the
 * version last read, and a concurrent edit gets 409 rather than being silently overwritten.
 */
@Injectable()
export class SaveSettings {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly clients: ConnectWiseClients,
  ) {}

  async execute(command: { partnerId: string; request: SaveSettingsRequestDto }): Promise<SettingsResponseDto> {
    const { partnerId, request } = command;
    const problems = checkShape(request);
    if (problems.length > 0) throw invalid(problems);

    const ids = request.connectwiseDefaults;
    if (Object.values(ids).some((v) => v !== undefined)) {
      const options = await readOptions(await this.clients.forPartner(partnerId));
      const missing = checkDefaultsExist(request, options);
      if (missing.length > 0) throw invalid(missing);
    }

    const current = await this.settings.find(partnerId);
    const values = toValues(request, current);
    const saved = current
      ? request.version === undefined
        ? undefined
        : await this.settings.update(partnerId, request.version, values)
      : await this.settings.insert(partnerId, values);
    if (!saved) {
      const latest = await this.settings.find(partnerId);
      throw new AppError(
        AppErrorCode.VersionMismatch,
        request.version === undefined
          ? 'Settings already exist: send the version you last read.'
          : `The settings were changed by someone else (now version ${latest?.version ?? '?'}); reload and apply your change again.`,
        { currentVersion: latest?.version ?? null },
      );
    }
    return toSettingsResponse(saved);
  }
}

function checkShape(request: SaveSettingsRequestDto): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isKnownTimeZone(request.timeZone)) problems.push({ field: 'timeZone', reason: 'must be an IANA time zone such as Europe/Amsterdam' });
  if (request.exportMode === 'daily' && !request.dailyTime) problems.push({ field: 'dailyTime', reason: 'is required for a daily export' });
  if (!request.data.products && (request.data.quantity || request.data.cost || request.data.retailPrice)) {
    problems.push({ field: 'data.products', reason: 'must be on to export quantity, cost or retail price' });
  }
  return problems;
}

function checkDefaultsExist(request: SaveSettingsRequestDto, options: ConnectWiseOptionsResponseDto): FieldProblem[] {
  const d = request.connectwiseDefaults;
  const checks: [keyof typeof d, { id: number }[], string][] = [
    ['catalogSubcategoryId', options.catalogSubcategories, 'catalog subcategory'],
    ['productTypeId', options.productTypes, 'product type'],
    ['unitOfMeasureId', options.unitsOfMeasure, 'unit of measure'],
    ['agreementTypeId', options.agreementTypes, 'agreement type'],
    ['billingCycleId', options.billingCycles, 'billing cycle'],
  ];
  return checks
    .filter(([key, list]) => d[key] !== undefined && !list.some((o) => o.id === d[key]))
    .map(([key, , label]) => ({ field: `connectwiseDefaults.${key}`, reason: `is not an active ${label} in ConnectWise` }));
}

function invalid(fields: FieldProblem[]): AppError {
  return new AppError(AppErrorCode.ValidationFailed, `Invalid settings: ${fields.map((f) => `${f.field} ${f.reason}`).join('; ')}`, { fields });
}

/** The request as stored; a policy the request leaves out keeps its stored value (or the default), so older clients never reset it. */
function toValues(r: SaveSettingsRequestDto, current: SettingsRow | undefined): SettingsValues {
  return {
    mode: r.exportMode,
    dailyTime: r.dailyTime ?? null,
    timeZone: r.timeZone,
    exportProducts: r.data.products,
    exportQuantity: r.data.quantity,
    exportCost: r.data.cost,
    exportRetailPrice: r.data.retailPrice,
    exportUsersList: r.data.usersList,
    disappearedSku: r.disappearedSku,
    missingRetailPrice: r.missingRetailPrice ?? current?.missingRetailPrice ?? D.missingRetailPrice,
    suspendedAccounts: r.suspendedAccounts ?? current?.suspendedAccounts ?? D.suspendedAccounts,
    cancelledAccounts: r.cancelledAccounts ?? current?.cancelledAccounts ?? D.cancelledAccounts,
    unmappedSkus: r.unmappedSkus ?? current?.unmappedSkus ?? DEFAULT_BILLING_CONTROL.unmapped,
    catalogSubcategoryId: r.connectwiseDefaults.catalogSubcategoryId ?? null,
    productTypeId: r.connectwiseDefaults.productTypeId ?? null,
    unitOfMeasureId: r.connectwiseDefaults.unitOfMeasureId ?? null,
    agreementTypeId: r.connectwiseDefaults.agreementTypeId ?? null,
    billingCycleId: r.connectwiseDefaults.billingCycleId ?? null,
  };
}
