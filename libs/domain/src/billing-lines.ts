/**
 * The first step of the account plan: the platform's SKU lines, through the partner's billing control, become the
 * agreement lines it wants: one per (catalog item, term), with quantity, cost, the price its rule gives, and the
 * included quantity. Pure; rules: libs/domain/README.md, "Billing control".
 */
import type { DesiredAddition, PlanWarning, SkippedSku } from './account-types';
import {
  type BillingControl,
  type BillingUser,
  DEFAULT_MARKUP_DECIMALS,
  DEFAULT_TERM,
  describePriceRule,
  lineKey,
  type PriceRule,
  productActionFor,
  roundHalfAway,
  samePriceRule,
  type Term,
} from './billing';
import { compareText, groupBy } from './collections';
import { moneyEquals, normalizeMoney } from './money';
import type { ExportSettings } from './settings';

/** One agreement line the account should have. */
export interface BillingLine {
  /** `item:<catalogItemId>:<term>`: the line's identity. */
  key: string;
  /**
   * What its ownership record holds: the SKU for a SKU alone on its own item, monthly (as records were written before
   * issue 18, so they stay valid and read back the same), else the key.
   */
  record: string;
  /** The line's label, what the log shows: its SKUs, sorted (`A`, `A + B`, `A (annual)`). */
  sku: string;
  skus: string[];
  productId: number;
  term: Term;
  quantity: number;
  unitCost: number;
  /** The unit price to write; absent: no price is written (ConnectWise's stays, a new line takes the item's). */
  unitPrice?: number;
  /** The price rule of the line is the platform's retail price and a SKU on it has none. */
  missingRetailPrice: boolean;
  /** The rule that produced the price, for the log. */
  priceRule: string;
  /** Written as the addition's `lessIncluded` when a rule sets it. */
  lessIncluded?: number;
}

export interface BillingLines {
  lines: BillingLine[];
  skipped: SkippedSku[];
  warnings: PlanWarning[];
  /** Keys of lines a skipped SKU still wants (a bad input line): their owned additions are not retired. */
  heldKeys: Set<string>;
  /** SKUs skipped for want of a catalog item: records written before issue 18 under that SKU are not retired. */
  heldSkus: Set<string>;
}

export interface BillingLinesInput {
  desired: readonly DesiredAddition[];
  /** SKU → the SKU's own catalog item (the catalog phase's, for `create`). */
  catalog: ReadonlyMap<string, number>;
  billing: BillingControl;
  /** The account's users, when a bundle counts distinct users or a user is excluded. */
  users?: readonly BillingUser[];
  settings: ExportSettings;
}

interface SkuLine {
  sku: string;
  term: Term;
  quantity: number;
  unitCost: number;
  retailPrice?: number;
}

/** A SKU line's label: the SKU, with its term when it is not the default one. */
export function skuLabel(sku: string, term: Term): string {
  return term === DEFAULT_TERM ? sku : `${sku} (${term})`;
}

export function billingLines(input: BillingLinesInput): BillingLines {
  const { billing } = input;
  const { lines: merged, skipped } = mergeDesired(input.desired);
  const warnings: PlanWarning[] = [];
  const heldKeys = new Set<string>();
  const heldSkus = new Set<string>();
  const skippedOut: SkippedSku[] = [];
  const target = (sku: string, term: Term): number | SkippedSku => {
    const { action } = productActionFor(billing, sku, term);
    const label = skuLabel(sku, term);
    switch (action.kind) {
      case 'item':
        return action.catalogItemId;
      case 'hold':
        return { sku: label, reason: 'held-until-mapped', message: 'Held until the partner maps this SKU to a catalog item: not billed.' };
      case 'do-not-bill':
        return { sku: label, reason: 'do-not-bill', message: 'Marked "do not bill" in the product mapping.' };
      case 'create': {
        const id = input.catalog.get(sku);
        if (id === undefined) {
          heldSkus.add(sku);
          return { sku: label, reason: 'no-catalog-item', message: 'No ConnectWise catalog item for this SKU.' };
        }
        return id;
      }
    }
  };
  for (const skip of skipped) {
    // A bad input line still wants its line: whatever it had is left as it is.
    const [sku, term] = skip.key;
    const id = target(sku, term);
    if (typeof id === 'number') heldKeys.add(lineKey(id, term));
  }

  const placed: { line: SkuLine; productId: number }[] = [];
  for (const line of merged) {
    const id = target(line.sku, line.term);
    if (typeof id === 'number') placed.push({ line, productId: id });
    else skippedOut.push(id);
  }
  const lines: BillingLine[] = [];
  const groups = [...groupBy(placed, (p) => lineKey(p.productId, p.line.term))].sort(([a], [b]) => compareText(a, b));
  for (const [key, members] of groups) {
    lines.push(buildLine(key, members.map((m) => m.line), members[0].productId, input, warnings));
  }
  lines.sort((a, b) => compareText(a.sku, b.sku) || compareText(a.key, b.key));
  return { lines, skipped: [...skipped.map((s) => s.skip), ...skippedOut].sort((a, b) => compareText(a.sku, b.sku)), warnings, heldKeys, heldSkus };
}

function buildLine(key: string, members: SkuLine[], productId: number, input: BillingLinesInput, warnings: PlanWarning[]): BillingLine {
  const { billing, settings } = input;
  const term = members[0].term;
  const sorted = [...members].sort((a, b) => compareText(a.sku, b.sku));
  const skus = sorted.map((m) => m.sku);
  const label = sorted.length === 1 ? skuLabel(skus[0], term) : `${skus.join(' + ')}${term === DEFAULT_TERM ? '' : ` (${term})`}`;

  // Exclusions: a SKU not billed for this account counts 0; an excluded user's units leave the SKU's quantity.
  const excludedSkus = new Map(billing.account.exclusions.flatMap((e) => (e.sku !== undefined ? [[e.sku, e.reason] as const] : [])));
  const excludedUsers = new Map(billing.account.exclusions.flatMap((e) => (e.userId !== undefined ? [[e.userId, e.reason] as const] : [])));
  const users = input.users ?? [];
  const notes: string[] = [];
  const effective = sorted.map((m) => {
    const reason = excludedSkus.get(m.sku);
    if (reason !== undefined) {
      if (m.quantity > 0) notes.push(`${m.sku}: ${m.quantity} unit(s) excluded for this account (${reason})`);
      return 0;
    }
    const holders = users.filter((u) => excludedUsers.has(u.id) && (u.skus ?? []).includes(m.sku)).sort((a, b) => compareText(a.id, b.id));
    const left = Math.max(0, m.quantity - holders.length);
    if (left === m.quantity) return m.quantity;
    notes.push(`${m.sku}: ${m.quantity - left} unit(s) of excluded user(s) ${holders.map((u) => `${u.id} (${excludedUsers.get(u.id)})`).join(', ')}`);
    return left;
  });
  const sum = effective.reduce((total, q) => total + q, 0);

  let quantity = sum;
  const bundle = billing.bundles.find((b) => b.catalogItemId === productId);
  if (bundle?.quantity === 'distinct-users') {
    const known = users.some((u) => u.skus !== undefined);
    if (known) {
      const billed = new Set(sorted.filter((m) => !excludedSkus.has(m.sku)).map((m) => m.sku));
      quantity = users.filter((u) => !excludedUsers.has(u.id) && (u.skus ?? []).some((s) => billed.has(s))).length;
    } else {
      warnings.push({ code: 'bundle-users-unknown', sku: label, additionIds: [], message: 'The platform gave no SKUs per user: the bundle counts the sum of its SKUs instead of distinct users.' });
    }
  }
  if (notes.length > 0) warnings.push({ code: 'excluded', sku: label, additionIds: [], message: `Excluded from billing: ${notes.join('; ')}.` });

  const weighted = (value: (m: SkuLine) => number): number => {
    const totalUnits = effective.reduce((t, q) => t + q, 0);
    if (sorted.every((m) => moneyEquals(value(m), value(sorted[0])))) return value(sorted[0]);
    if (totalUnits <= 0) return value(sorted[0]);
    return sorted.reduce((t, m, i) => t + effective[i] * value(m), 0) / totalUnits;
  };
  const unitCost = normalizeMoney(weighted((m) => m.unitCost));

  // Price: the rule of the first SKU by sort order (account override, else the mapping's, else the default).
  const rules = sorted.map((m) => priceRuleFor(billing, m.sku, term));
  const rule = rules[0];
  if (rules.some((r) => !samePriceRule(r, rule))) {
    warnings.push({ code: 'bundle-price-rules-differ', sku: label, additionIds: [], message: `The SKUs on this line have different price rules; ${skus[0]}'s is used (${describePriceRule(rule)}).` });
  }
  const price = priceOf(rule, sorted, unitCost, weighted, settings);

  const includedRules = sorted.flatMap((m) => {
    const own = billing.account.included.find((r) => r.sku === m.sku && r.term === term) ?? billing.account.included.find((r) => r.sku === m.sku && r.term === undefined);
    return own ? [own.quantity] : [];
  });
  const own = sorted.length === 1 && term === DEFAULT_TERM && input.catalog.get(skus[0]) === productId;
  return {
    key,
    record: own ? skus[0] : key,
    sku: label,
    skus,
    productId,
    term,
    quantity,
    unitCost,
    ...(price.amount === undefined ? {} : { unitPrice: price.amount }),
    missingRetailPrice: price.missing,
    priceRule: price.note,
    ...(includedRules.length > 0 ? { lessIncluded: includedRules.reduce((t, q) => t + q, 0) } : {}),
  };
}

/** The account's override for (sku, term), else (sku); else the mapping's rule; else none (the default). */
export function priceRuleFor(billing: BillingControl, sku: string, term: Term): PriceRule | undefined {
  const prices = billing.account.prices;
  const own = prices.find((p) => p.sku === sku && p.term === term) ?? prices.find((p) => p.sku === sku && p.term === undefined);
  return own?.price ?? productActionFor(billing, sku, term).price;
}

function priceOf(
  rule: PriceRule | undefined,
  members: readonly SkuLine[],
  unitCost: number,
  weighted: (value: (m: SkuLine) => number) => number,
  settings: ExportSettings,
): { amount?: number; missing: boolean; note: string } {
  const retail = () => {
    if (members.some((m) => m.retailPrice === undefined)) return { missing: true };
    return { amount: normalizeMoney(weighted((m) => m.retailPrice!)), missing: false };
  };
  if (rule === undefined) {
    if (!settings.retailPrice) return { missing: false, note: 'no price written: retail price export is off and no rule is set' };
    return { ...retail(), note: describePriceRule(undefined) };
  }
  switch (rule.kind) {
    case 'platform-retail':
      return { ...retail(), note: describePriceRule(rule) };
    case 'catalog':
      return { missing: false, note: `${describePriceRule(rule)}: no price written` };
    case 'markup': {
      const amount = roundHalfAway(unitCost * (1 + rule.percent / 100), rule.decimals ?? DEFAULT_MARKUP_DECIMALS);
      return { amount: normalizeMoney(amount), missing: false, note: `${describePriceRule(rule)}: ${unitCost} → ${amount}` };
    }
    case 'fixed':
      return { amount: normalizeMoney(rule.amount), missing: false, note: describePriceRule(rule) };
  }
}

/** One line per (SKU, term), sorted: repeated lines add up when their cost and price agree; bad lines are skipped. */
function mergeDesired(desired: readonly DesiredAddition[]): { lines: SkuLine[]; skipped: { key: [string, Term]; skip: SkippedSku }[] } {
  const lines: SkuLine[] = [];
  const skipped: { key: [string, Term]; skip: SkippedSku }[] = [];
  const groups = [...groupBy(desired, (line) => JSON.stringify([line.sku, line.term ?? DEFAULT_TERM]))].sort(([a], [b]) => compareText(a, b));
  for (const [, group] of groups) {
    const { sku } = group[0];
    const term = group[0].term ?? DEFAULT_TERM;
    const label = skuLabel(sku, term);
    if (group.some((line) => !isValidLine(line))) {
      skipped.push({ key: [sku, term], skip: { sku: label, reason: 'invalid-desired', message: 'Quantity, cost or price is not a valid number.' } });
      continue;
    }
    const ordered = [...group].sort(compareLines);
    const [first, ...rest] = ordered as [DesiredAddition, ...DesiredAddition[]];
    if (rest.some((line) => !moneyEquals(line.unitCost, first.unitCost) || !moneyEquals(line.retailPrice, first.retailPrice))) {
      skipped.push({ key: [sku, term], skip: { sku: label, reason: 'conflicting-desired-lines', message: 'The SKU is listed more than once with different cost or price.' } });
      continue;
    }
    lines.push({
      sku,
      term,
      quantity: ordered.reduce((sum, line) => sum + line.quantity, 0),
      unitCost: first.unitCost,
      ...(first.retailPrice === undefined ? {} : { retailPrice: first.retailPrice }),
    });
  }
  return { lines, skipped };
}

/** A total order on lines of one SKU, so that merging them does not depend on the order they arrived in. */
function compareLines(a: DesiredAddition, b: DesiredAddition): number {
  return a.unitCost - b.unitCost || (a.retailPrice ?? -1) - (b.retailPrice ?? -1) || a.quantity - b.quantity;
}

function isValidLine(line: DesiredAddition): boolean {
  return (
    Number.isFinite(line.quantity) &&
    line.quantity >= 0 &&
    Number.isFinite(line.unitCost) &&
    (line.retailPrice === undefined || Number.isFinite(line.retailPrice))
  );
}

/**
 * The users that go into the users CSV: an excluded user is left out, and so is a user all of whose SKUs (when the
 * platform says which) are excluded for the account.
 */
export function billableUsers<T extends BillingUser>(users: readonly T[], billing: BillingControl): { users: T[]; left: { id: string; reason: string }[] } {
  const byUser = new Map(billing.account.exclusions.flatMap((e) => (e.userId !== undefined ? [[e.userId, e.reason] as const] : [])));
  const bySku = new Map(billing.account.exclusions.flatMap((e) => (e.sku !== undefined ? [[e.sku, e.reason] as const] : [])));
  const kept: T[] = [];
  const left: { id: string; reason: string }[] = [];
  for (const user of users) {
    const own = byUser.get(user.id);
    const skus = user.skus ?? [];
    if (own !== undefined) left.push({ id: user.id, reason: own });
    else if (skus.length > 0 && skus.every((s) => bySku.has(s))) left.push({ id: user.id, reason: skus.map((s) => bySku.get(s)).join('; ') });
    else kept.push(user);
  }
  return { users: kept, left };
}
