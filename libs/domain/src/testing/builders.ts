/**
 * Test data builders for the domain's specs (not exported from the library).
 */
import type { AccountPlan, ActualAddition, DesiredAddition, OwnershipRecord } from '../account-types';
import type { ExportSettings } from '../settings';

/** Every export option on, disappeared SKUs to quantity 0, a SKU without retail price written without one, inactive accounts zeroed. */
export function someSettings(overrides: Partial<ExportSettings> = {}): ExportSettings {
  return {
    products: true,
    quantity: true,
    cost: true,
    retailPrice: true,
    usersList: true,
    disappearedSku: { mode: 'zero' },
    missingRetailPrice: 'skip-price',
    suspendedAccounts: 'zero',
    cancelledAccounts: 'zero',
    ...overrides,
  };
}

export function aLine(sku: string, overrides: Partial<DesiredAddition> = {}): DesiredAddition {
  return { sku, quantity: 10, unitCost: 12.5, retailPrice: 20, ...overrides };
}

export function anAddition(id: number, productId: number, overrides: Partial<ActualAddition> = {}): ActualAddition {
  return { id, productId, quantity: 10, unitCost: 12.5, unitPrice: 20, cancelledDate: null, effectiveDate: '2024-01-01T00:00:00Z', ...overrides };
}

/**
 * What ConnectWise would hold after the plan is applied. Money is kept as sent (a double, as the schemas type
 * it and the simulator does), so a second plan proves that what was written compares equal to what is wanted.
 */
export function applyPlan(
  actual: readonly ActualAddition[],
  ownership: readonly OwnershipRecord[],
  plan: AccountPlan,
): { actual: ActualAddition[]; ownership: OwnershipRecord[] } {
  const store = (n: number | null | undefined) => n ?? null;
  const additions = new Map(actual.map((a) => [a.id, { ...a }]));
  const owned = new Map(ownership.map((o) => [o.key, o.additionId]));
  let nextId = Math.max(0, ...actual.map((a) => a.id)) + 1000;
  for (const op of plan.operations) {
    switch (op.kind) {
      case 'create': {
        const id = nextId++;
        additions.set(id, {
          id,
          productId: op.productId,
          quantity: op.quantity,
          unitCost: store(op.unitCost ?? 1),
          unitPrice: store(op.unitPrice ?? 2),
          lessIncluded: op.lessIncluded ?? 0,
          invoiceDescription: op.invoiceDescription ?? null,
          cancelledDate: null,
          effectiveDate: op.effectiveDate,
        });
        owned.set(op.record, id);
        break;
      }
      case 'adopt':
        owned.set(op.record, op.additionId);
        break;
      case 'update':
      case 'retire': {
        const addition = additions.get(op.additionId);
        if (!addition) throw new Error(`plan writes to addition ${op.additionId}, which is not on the agreement`);
        for (const change of op.changes) {
          const value = change.field === 'unitCost' || change.field === 'unitPrice' ? store(change.after as number | null) : change.after;
          Object.assign(addition, { [change.field]: value });
        }
        break;
      }
    }
  }
  return { actual: [...additions.values()], ownership: [...owned].map(([key, additionId]) => ({ key, additionId })) };
}
