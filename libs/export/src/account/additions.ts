/**
 * The agreement's additions as the plan reads them, and the plan's operations as ConnectWise writes and as
 * the export log's entries.
 */
import type { Addition, NewRecord, PatchOperation } from '@cwx/connectwise';
import type { AccountOperation, ActualAddition, CreateAddition, FieldChange } from '@cwx/domain';
import type { AppliedOperation, OperationChange } from '../types';

/** Additions without an id or a product are left out: the plan could neither own nor match them. */
export function toActualAdditions(additions: readonly Addition[]): ActualAddition[] {
  return additions.flatMap((a): ActualAddition[] => {
    const productId = a.product?.id;
    if (a.id === undefined || typeof productId !== 'number') return [];
    return [
      {
        id: a.id,
        productId,
        productIdentifier: a.product?.identifier,
        quantity: a.quantity ?? null,
        unitCost: a.unitCost ?? null,
        unitPrice: a.unitPrice ?? null,
        cancelledDate: a.cancelledDate ?? null,
        effectiveDate: a.effectiveDate ?? null,
        lessIncluded: a.lessIncluded ?? null,
        invoiceDescription: a.invoiceDescription ?? null,
      },
    ];
  });
}

/** The POST body of a planned create: cost and price only when the plan carries them (else ConnectWise takes the catalog's). */
export function createBody(op: CreateAddition): NewRecord<Addition> {
  const body: NewRecord<Addition> = {
    product: { id: op.productId },
    quantity: op.quantity,
    billCustomer: op.billCustomer,
    effectiveDate: op.effectiveDate,
  };
  if (op.unitCost !== undefined) body.unitCost = op.unitCost;
  if (op.unitPrice !== undefined) body.unitPrice = op.unitPrice;
  // "Less included" (API-NOTES §10.4: Addition.lessIncluded number|null): the customer's package includes these units.
  if (op.lessIncluded !== undefined) body.lessIncluded = op.lessIncluded;
  if (op.invoiceDescription !== undefined) body.invoiceDescription = op.invoiceDescription;
  return body;
}

/**
 * One PATCH body for the changed fields. Clearing `cancelledDate` (a retired SKU that came back) is a
 * `remove` operation: API-NOTES §6.1 documents `remove`, whereas `replace` with null is not documented
 * (the simulator accepts both).
 */
export function patchOperations(changes: readonly FieldChange[]): PatchOperation<Addition>[] {
  return changes.map((change): PatchOperation<Addition> => {
    switch (change.field) {
      case 'cancelledDate':
        return change.after === null ? { op: 'remove', path: 'cancelledDate' } : { op: 'replace', path: 'cancelledDate', value: String(change.after) };
      case 'quantity':
        return { op: 'replace', path: 'quantity', value: asNumber(change.after) };
      case 'unitCost':
        return { op: 'replace', path: 'unitCost', value: asNumber(change.after) };
      case 'unitPrice':
        return { op: 'replace', path: 'unitPrice', value: asNumber(change.after) };
      case 'lessIncluded':
        return { op: 'replace', path: 'lessIncluded', value: asNumber(change.after) };
    }
  });
}

function asNumber(value: FieldChange['after']): number | null {
  return value === null ? null : Number(value);
}

/**
 * The log entry for a plan operation; `id` is null for a create not (yet) made. `priceRule` (the rule that produced the
 * line's price, from the plan's lines) is set on a create and on an update of the price.
 */
export function describeOperation(op: AccountOperation, priceRule?: string): AppliedOperation {
  const entry = describe(op);
  const priced = op.kind === 'create' || (op.kind === 'update' && op.changes.some((c) => c.field === 'unitPrice'));
  if (priceRule !== undefined && priced) entry.priceRule = priceRule;
  return entry;
}

function describe(op: AccountOperation): AppliedOperation {
  switch (op.kind) {
    case 'create': {
      const changes: OperationChange[] = [
        { field: 'product', before: null, after: op.productId },
        { field: 'quantity', before: null, after: op.quantity },
      ];
      if (op.unitCost !== undefined) changes.push({ field: 'unitCost', before: null, after: op.unitCost });
      if (op.unitPrice !== undefined) changes.push({ field: 'unitPrice', before: null, after: op.unitPrice });
      if (op.lessIncluded !== undefined) changes.push({ field: 'lessIncluded', before: null, after: op.lessIncluded });
      changes.push({ field: 'effectiveDate', before: null, after: op.effectiveDate });
      return { entity: 'addition', action: 'create', id: null, sku: op.sku, changes };
    }
    case 'adopt':
      return {
        entity: 'addition',
        action: 'adopt',
        id: op.additionId,
        sku: op.sku,
        changes: [{ field: 'ownedAdditionId', before: op.replacesAdditionId ?? null, after: op.additionId }],
      };
    case 'update':
      return { entity: 'addition', action: 'update', id: op.additionId, sku: op.sku, changes: op.changes.map((c) => ({ ...c })) };
    case 'retire':
      return { entity: 'addition', action: 'retire', id: op.additionId, sku: op.sku, changes: op.changes.map((c) => ({ ...c })) };
  }
}
