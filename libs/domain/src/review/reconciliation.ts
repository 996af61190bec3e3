/**
 * The reconciliation view of one account: per line, the platform's quantity and price, ConnectWise's, and the
 * difference. The platform side is the account plan's (`planAccount`: product mapping, bundles, price rules,
 * exclusions, included quantities, terms, account status), so it is what the next run would write, and a line
 * differs when that run would write it or when its quantity or written price disagrees with ConnectWise's.
 * Read-only: nothing here decides a write; it shows the plan's lines against the agreement.
 */
import type { ActualAddition } from '../account-types';
import { type PlanAccountInput, planAccount, retiredLabel } from '../account-plan';
import { DEFAULT_EXPORT_SETTINGS, type ExportSettings } from '../settings';
import { compareText } from '../collections';
import { moneyEquals, quantityEquals } from '../money';
import { isCancelled, resolveOwnership } from '../ownership';

export interface ReconciledLine {
  /** The line's label (its SKUs, with the term when not monthly), as the plan and the run's log name it. */
  sku: string;
  /** The ConnectWise addition compared (ours, or the one the run would adopt); null when there is none. */
  additionId: number | null;
  /** What the next run writes: quantity, and the unit price (null when its rule writes none). */
  platform: { quantity: number; price: number | null } | null;
  connectwise: { quantity: number; price: number | null } | null;
  /** ConnectWise minus platform (a missing side counts as 0). */
  quantityDifference: number;
  /** ConnectWise's monthly amount minus the platform's (quantity × price); null when a price is unknown. */
  monthlyDifference: number | null;
  differs: boolean;
}

export interface ReconciledAccount {
  lines: ReconciledLine[];
  differing: number;
  /** Sum of the lines' monthly differences (lines with an unknown price left out). */
  monthlyDifference: number;
}

type Side = { quantity: number; price: number | null } | null;

/** The plan's input; settings absent: the defaults with the retail price exported; run date absent: any (it only dates writes). */
export type ReconcileAccountInput = Omit<PlanAccountInput, 'settings' | 'runDate'> & { settings?: ExportSettings; runDate?: string };

export function reconcileAccount(reconciled: ReconcileAccountInput): ReconciledAccount {
  const input: PlanAccountInput = {
    ...reconciled,
    settings: reconciled.settings ?? { ...DEFAULT_EXPORT_SETTINGS, retailPrice: true },
    runDate: reconciled.runDate ?? '2000-01-01',
  };
  const plan = planAccount(input);
  const additions = new Map(input.actual.map((a) => [a.id, a]));
  const ownership = resolveOwnership(input.ownership, additions, input.catalog);
  const written = new Set(plan.operations.filter((op) => op.kind !== 'adopt').map((op) => op.key));
  const adopted = new Map(plan.operations.flatMap((op) => (op.kind === 'adopt' ? [[op.key, op.additionId] as const] : [])));
  const retiredAs = new Map(plan.operations.flatMap((op) => (op.kind === 'retire' ? [[op.key, op.sku] as const] : [])));
  const line = (sku: string, key: string, platform: Side, additionId: number | undefined) => {
    const addition: ActualAddition | undefined = additionId === undefined ? undefined : additions.get(additionId);
    return compare(sku, addition, platform, written.has(key));
  };
  const planned = new Set(plan.lines.map((l) => l.key));
  const lines = [
    ...plan.lines.map((l) => line(l.sku, l.key, { quantity: l.quantity, price: l.unitPrice ?? null }, adopted.get(l.key) ?? ownership.kept.get(l.key))),
    ...[...ownership.kept]
      .filter(([key]) => !planned.has(key))
      .map(([key, additionId]) => line(retiredAs.get(key) ?? retiredLabel(ownership.storedAs.get(key) ?? key, key, input.catalog), key, null, additionId)),
  ].sort((a, b) => compareText(a.sku, b.sku));
  const differing = lines.filter((l) => l.differs).length;
  const monthlyDifference = Math.round(lines.reduce((sum, l) => sum + (l.monthlyDifference ?? 0), 0) * 100) / 100;
  return { lines, differing, monthlyDifference };
}

function compare(sku: string, addition: ActualAddition | undefined, platform: Side, written: boolean): ReconciledLine {
  const live = addition && !isCancelled(addition) ? addition : undefined;
  const connectwise = live ? { quantity: live.quantity ?? 0, price: live.unitPrice ?? null } : null;
  const quantityDifference = (connectwise?.quantity ?? 0) - (platform?.quantity ?? 0);
  const amount = (side: Side) => (side === null || side.quantity === 0 ? 0 : side.price === null ? null : side.quantity * side.price);
  const [a, b] = [amount(connectwise), amount(platform)];
  const monthlyDifference = a === null || b === null ? null : Math.round((a - b) * 100) / 100;
  const differs =
    written ||
    !quantityEquals(connectwise?.quantity ?? 0, platform?.quantity ?? 0) ||
    (platform !== null && platform.price !== null && connectwise !== null && !moneyEquals(connectwise.price, platform.price));
  return { sku, additionId: addition?.id ?? null, platform, connectwise, quantityDifference, monthlyDifference, differs };
}
