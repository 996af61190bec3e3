/**
 * Catalog phase, once per run before any account: every resold SKU has a ConnectWise catalog item (found by
 * identifier first, created with the partner's defaults when missing, cost/price patched when those
 * settings are on, per `planCatalog`), and the store records SKU → item id.
 */
import { type CatalogItem, type ConnectWiseClient, type NewRecord, replaceOps } from '@cwx/connectwise';
import { type CatalogDecision, catalogIdentifierFor, type DesiredProduct, type ExportSettings, planCatalog } from '@cwx/domain';
import { ResultErrorKind, type CatalogEntry } from '@cwx/messaging';
import { ExportErrorCode, settleFailure } from '../errors';
import { callCounter, guardStore } from '../shared/guards';
import type { CatalogItemStore, StoredCatalogItem } from '../stores/stores';
import type { AppliedOperation, CatalogConflict, CatalogResult, OperationChange } from '../types';
import { findCatalogItems } from './find-catalog-items';

/** The partner's ConnectWise choices for new catalog items (null or undefined: not chosen yet). */
export interface CatalogDefaults {
  subcategoryId?: number | null;
  productTypeId?: number | null;
  unitOfMeasureId?: number | null;
}

export interface CatalogRunInput {
  partnerId: string;
  settings: ExportSettings;
  defaults: CatalogDefaults;
  /** The SKUs to make sure of, with cost and price (see `collectCatalogSkus`). */
  skus: readonly DesiredProduct[];
  /** Plan only: read ConnectWise, write nothing (neither ConnectWise nor the store). */
  dryRun?: boolean;
}

export interface CatalogExporterDeps {
  connectwise: ConnectWiseClient;
  catalogItems: CatalogItemStore;
}

export const MISSING_DEFAULTS_MESSAGE = 'Choose a catalog subcategory and product type in the settings';

export class CatalogExporter {
  constructor(private readonly deps: CatalogExporterDeps) {}

  async run(input: CatalogRunInput): Promise<CatalogResult> {
    const calls = callCounter(this.deps.connectwise);
    const result: CatalogResult = { status: 'unchanged', catalog: [], operations: [], conflicts: [], connectwiseCalls: 0 };
    try {
      await this.reconcile(input, result);
    } catch (error) {
      result.connectwiseCalls = calls();
      result.catalog.sort(bySku);
      result.error = settleFailure(error, result);
      result.status = 'failed';
    }
    result.connectwiseCalls = calls();
    result.catalog.sort(bySku);
    return result;
  }

  private async reconcile(input: CatalogRunInput, result: CatalogResult): Promise<void> {
    const { partnerId, settings, defaults } = input;
    const { found, unsearchable } = await findCatalogItems(
      this.deps.connectwise,
      input.skus.map((p) => catalogIdentifierFor(p.sku)),
    );
    const searchable = input.skus.filter((p) => !unsearchable.has(catalogIdentifierFor(p.sku)));
    const plan = planCatalog({ skus: searchable, existing: found, settings });
    result.conflicts.push(...unsearchableConflicts(input.skus, unsearchable), ...conflictsOf(plan.decisions));
    result.conflicts.sort(bySku);

    const creates = plan.decisions.filter((d) => d.kind === 'create');
    const subcategoryId = defaults.subcategoryId ?? undefined;
    const productTypeId = defaults.productTypeId ?? undefined;
    const stored = input.dryRun ? new Map<string, StoredCatalogItem>() : await this.storedItems(partnerId);
    const keep = async (sku: string, identifier: string, catalogItemId: number) => {
      result.catalog.push({ sku, catalogItemId });
      const known = stored.get(sku);
      if (input.dryRun || (known?.catalogItemId === catalogItemId && known.identifier === identifier)) return;
      await guardStore('save catalog item', () => this.deps.catalogItems.save(partnerId, { sku, catalogItemId, identifier }));
    };

    for (const decision of plan.decisions) {
      if (decision.kind === 'unchanged') await keep(decision.sku, decision.identifier, decision.catalogItemId);
    }
    if (creates.length > 0 && (subcategoryId === undefined || productTypeId === undefined)) {
      result.status = 'failed';
      result.error = {
        kind: ResultErrorKind.Settings,
        code: ExportErrorCode.MissingDefaults,
        message: `${MISSING_DEFAULTS_MESSAGE}: ${creates.length} SKU(s) have no ConnectWise catalog item yet (${creates
          .slice(0, 5)
          .map((d) => d.sku)
          .join(', ')}${creates.length > 5 ? ', …' : ''}).`,
      };
      return;
    }

    for (const decision of plan.decisions) {
      if (decision.kind === 'patch') {
        const changes = Object.fromEntries(decision.changes.map((c) => [c.field, c.after])) as Pick<CatalogItem, 'cost' | 'price'>;
        if (!input.dryRun) await this.deps.connectwise.catalog.patch(decision.catalogItemId, replaceOps<CatalogItem>(changes));
        result.operations.push({ entity: 'catalogItem', action: 'update', id: decision.catalogItemId, sku: decision.sku, changes: decision.changes });
        await keep(decision.sku, decision.identifier, decision.catalogItemId);
      } else if (decision.kind === 'create') {
        const operation = createOperation(decision);
        result.operations.push(operation);
        if (input.dryRun) continue;
        const body = newItemBody(decision, { subcategoryId: subcategoryId!, productTypeId: productTypeId!, unitOfMeasureId: defaults.unitOfMeasureId ?? undefined });
        // The client re-finds by identifier after an ambiguous failure instead of re-posting blindly.
        const created = await this.deps.connectwise.catalog.create(body);
        operation.id = created.id ?? null;
        if (created.id !== undefined) await keep(decision.sku, decision.identifier, created.id);
      }
    }
    if (result.operations.length > 0) result.status = 'changed';
  }

  private async storedItems(partnerId: string): Promise<Map<string, StoredCatalogItem>> {
    const rows = await guardStore('list catalog items', () => this.deps.catalogItems.list(partnerId));
    return new Map(rows.map((row) => [row.sku, row]));
  }
}

function newItemBody(
  decision: Extract<CatalogDecision, { kind: 'create' }>,
  ids: { subcategoryId: number; productTypeId: number; unitOfMeasureId?: number },
): NewRecord<CatalogItem> {
  const { fields } = decision;
  const body: NewRecord<CatalogItem> = {
    identifier: fields.identifier,
    description: fields.description,
    customerDescription: fields.customerDescription,
    subcategory: { id: ids.subcategoryId },
    type: { id: ids.productTypeId },
  };
  if (ids.unitOfMeasureId !== undefined) body.unitOfMeasure = { id: ids.unitOfMeasureId };
  if (fields.cost !== undefined) body.cost = fields.cost;
  if (fields.price !== undefined) body.price = fields.price;
  return body;
}

function createOperation(decision: Extract<CatalogDecision, { kind: 'create' }>): AppliedOperation {
  const { fields } = decision;
  const changes: OperationChange[] = [
    { field: 'identifier', before: null, after: fields.identifier },
    { field: 'description', before: null, after: fields.description },
  ];
  if (fields.cost !== undefined) changes.push({ field: 'cost', before: null, after: fields.cost });
  if (fields.price !== undefined) changes.push({ field: 'price', before: null, after: fields.price });
  return { entity: 'catalogItem', action: 'create', id: null, sku: decision.sku, changes };
}

function conflictsOf(decisions: readonly CatalogDecision[]): CatalogConflict[] {
  return decisions.flatMap((d): CatalogConflict[] => {
    if (d.kind === 'conflict') return [{ sku: d.sku, identifier: d.identifier, reason: d.reason, catalogItemIds: d.catalogItemIds, message: d.message }];
    if (d.kind === 'skipped') return [{ sku: d.sku, identifier: d.identifier, reason: d.reason, catalogItemIds: [], message: d.message }];
    return [];
  });
}

function unsearchableConflicts(skus: readonly DesiredProduct[], unsearchable: ReadonlySet<string>): CatalogConflict[] {
  const seen = new Set<string>();
  return skus.flatMap((p): CatalogConflict[] => {
    const identifier = catalogIdentifierFor(p.sku);
    if (!unsearchable.has(identifier) || seen.has(p.sku)) return [];
    seen.add(p.sku);
    return [{
      sku: p.sku,
      identifier,
      reason: 'unsearchable-identifier',
      catalogItemIds: [],
      message: 'The identifier holds both single and double quotes; ConnectWise conditions cannot look it up, so it is neither found nor created.',
    }];
  });
}

function bySku(a: CatalogEntry | CatalogConflict, b: CatalogEntry | CatalogConflict): number {
  return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
}
