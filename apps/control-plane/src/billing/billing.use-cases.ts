import { Injectable } from '@nestjs/common';
import { DEFAULT_BILLING_CONTROL, DomainError, type PriceRule, validatePriceRule } from '@cwx/domain';
import { AppError, AppErrorCode, type FieldProblem } from '../http/app-error';
import { SettingsRepository } from '../settings/settings.repository';
import { BillingRepository } from './billing.repository';
import type {
  AccountBillingResponseDto,
  PriceRuleDto,
  ProductMappingDto,
  ProductMappingsResponseDto,
  SaveAccountBillingRequestDto,
  SaveProductMappingsRequestDto,
} from './billing.dto';

/** The price rule as the domain reads it; a field the kind needs is required, one it does not take is refused. */
function toPriceRule(dto: PriceRuleDto, field: string, problems: FieldProblem[]): PriceRule | undefined {
  let rule: PriceRule;
  switch (dto.kind) {
    case 'platform-retail':
    case 'catalog':
      rule = { kind: dto.kind };
      break;
    case 'markup':
      if (dto.percent === undefined) {
        problems.push({ field: `${field}.percent`, reason: 'is required for a markup' });
        return undefined;
      }
      rule = { kind: 'markup', percent: dto.percent, ...(dto.decimals === undefined ? {} : { decimals: dto.decimals }) };
      break;
    case 'fixed':
      if (dto.amount === undefined) {
        problems.push({ field: `${field}.amount`, reason: 'is required for a fixed price' });
        return undefined;
      }
      rule = { kind: 'fixed', amount: dto.amount };
      break;
  }
  try {
    validatePriceRule(rule);
  } catch (error) {
    if (error instanceof DomainError) problems.push({ field, reason: error.message });
    else throw error;
  }
  return rule;
}

function invalid(problems: FieldProblem[]): AppError {
  return new AppError(AppErrorCode.ValidationFailed, `Invalid billing control: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`, { fields: problems });
}

/** Product mapping and bundles of a partner (issue 18); unmapped SKUs follow the settings' `unmappedSkus`. */
@Injectable()
export class ProductMappingsUseCases {
  constructor(
    private readonly billing: BillingRepository,
    private readonly settings: SettingsRepository,
  ) {}

  async get(partnerId: string): Promise<ProductMappingsResponseDto> {
    const [{ products, bundles }, settings] = await Promise.all([this.billing.productRules(partnerId), this.settings.find(partnerId)]);
    return {
      unmappedSkus: settings?.unmappedSkus ?? DEFAULT_BILLING_CONTROL.unmapped,
      products: products.map((row) => ({
        sku: row.sku,
        ...(row.term === 'any' ? {} : { term: row.term }),
        action: row.action,
        ...(row.catalogItemId === null ? {} : { catalogItemId: row.catalogItemId }),
        ...(row.priceRule ? { price: row.priceRule as PriceRuleDto } : {}),
      })),
      bundles: bundles.map((row) => ({ catalogItemId: row.catalogItemId, quantity: row.quantity })),
    };
  }

  /** Replaces every mapping and bundle rule in one transaction; the next run moves the lines. */
  async save(partnerId: string, request: SaveProductMappingsRequestDto): Promise<ProductMappingsResponseDto> {
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    const rows = request.products.map((m: ProductMappingDto, i) => {
      const field = `products[${i}]`;
      const key = `${m.sku}\u0000${m.term ?? 'any'}`;
      if (seen.has(key)) problems.push({ field, reason: `repeats the mapping of ${m.sku}${m.term ? ` (${m.term})` : ''}` });
      seen.add(key);
      if (m.action === 'item' && m.catalogItemId === undefined) problems.push({ field: `${field}.catalogItemId`, reason: 'is required to map onto an existing catalog item' });
      if (m.action !== 'item' && m.catalogItemId !== undefined) problems.push({ field: `${field}.catalogItemId`, reason: `is only for the "item" action` });
      const price = m.price ? toPriceRule(m.price, `${field}.price`, problems) : undefined;
      return { sku: m.sku, term: m.term ?? ('any' as const), action: m.action, catalogItemId: m.catalogItemId ?? null, priceRule: price ?? null };
    });
    const bundleIds = new Set<number>();
    request.bundles.forEach((b, i) => {
      if (bundleIds.has(b.catalogItemId)) problems.push({ field: `bundles[${i}]`, reason: `repeats catalog item ${b.catalogItemId}` });
      bundleIds.add(b.catalogItemId);
    });
    if (problems.length > 0) throw invalid(problems);
    await this.billing.replaceProductRules(partnerId, rows, request.bundles);
    return this.get(partnerId);
  }
}

/** One account's price overrides, exclusions and included quantities, with a version (409 on a stale one). */
@Injectable()
export class AccountBillingUseCases {
  constructor(private readonly billing: BillingRepository) {}

  async get(partnerId: string, accountId: string): Promise<AccountBillingResponseDto> {
    const row = await this.billing.findAccount(partnerId, accountId);
    if (!row) return { version: 0, prices: [], exclusions: [], included: [] };
    return {
      version: row.version,
      prices: row.prices as AccountBillingResponseDto['prices'],
      exclusions: row.exclusions as AccountBillingResponseDto['exclusions'],
      included: row.included as AccountBillingResponseDto['included'],
    };
  }

  async save(partnerId: string, accountId: string, request: SaveAccountBillingRequestDto): Promise<AccountBillingResponseDto> {
    const problems: FieldProblem[] = [];
    const prices = request.prices.map((p, i) => {
      const price = toPriceRule(p.price, `prices[${i}].price`, problems);
      return { sku: p.sku, ...(p.term ? { term: p.term } : {}), price };
    });
    const exclusions = request.exclusions.map((e, i) => {
      if ((e.sku === undefined) === (e.userId === undefined)) problems.push({ field: `exclusions[${i}]`, reason: 'needs exactly one of sku or userId' });
      return e.sku !== undefined ? { sku: e.sku, reason: e.reason } : { userId: e.userId ?? '', reason: e.reason };
    });
    const included = request.included.map((r) => ({ sku: r.sku, ...(r.term ? { term: r.term } : {}), quantity: r.quantity }));
    if (problems.length > 0) throw invalid(problems);

    const current = await this.get(partnerId, accountId);
    const expected = request.version ?? 0;
    if (expected !== current.version) {
      throw new AppError(AppErrorCode.VersionMismatch, `The account's billing overrides are at version ${current.version}, not ${expected}; read them again.`);
    }
    const values = { prices, exclusions, included, updatedAt: new Date() };
    const row = await this.billing.saveAccount(partnerId, accountId, current.version, values);
    if (!row) throw new AppError(AppErrorCode.VersionMismatch, "Another request changed the account's billing overrides first; read them again.");
    return this.get(partnerId, accountId);
  }
}
