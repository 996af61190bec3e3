import { roundTo, sumPlanLines, type AccountSubscription } from '@cwx/platform';
import { costDecimals } from './generate-partner';
import { Random } from './prng';
import { SKU_CATALOGUE } from './sku-catalogue';
import type { AccountChange, AccountChangeKind, GeneratedAccount, GeneratedPartner, MutatePartnerOptions, PartnerChange } from './types';

/**
 * A copy of `partner` in which `changedShare` of the accounts have exactly one change to their
 * subscriptions (a quantity, a SKU removed, a SKU added, or a unit cost), plus optionally a few retail
 * price changes, and the list of what changed. Users are left as they were. Deterministic per seed.
 */
export function mutatePartner(
  partner: GeneratedPartner,
  options: MutatePartnerOptions,
): { partner: GeneratedPartner; changes: PartnerChange[] } {
  const { changedShare, retailPriceChanges = 0 } = options;
  if (!(changedShare >= 0 && changedShare <= 1)) throw new RangeError('changedShare must be between 0 and 1');
  if (!Number.isInteger(retailPriceChanges) || retailPriceChanges < 0) {
    throw new RangeError('retailPriceChanges must be a whole number of at least 0');
  }
  const copy = structuredClone(partner);
  const rng = Random.derive(options.seed, partner.partner.id, 'mutate');
  const count = Math.round(changedShare * copy.accounts.length);
  const chosen = rng
    .shuffle(copy.accounts.map((_, i) => i))
    .slice(0, count)
    .sort((a, b) => a - b);
  const changes: PartnerChange[] = chosen.map((i) => changeAccount(rng, copy.accounts[i], copy));

  const prices = rng.shuffle(copy.retailPrices).slice(0, retailPriceChanges);
  for (const price of prices.sort((a, b) => (a.sku < b.sku ? -1 : 1))) {
    const before = price.price;
    price.price = changedAmount(rng, before);
    changes.push({ kind: 'retail-price-changed', sku: price.sku, before, after: price.price });
  }
  return { partner: copy, changes };
}

function changeAccount(rng: Random, account: GeneratedAccount, partner: GeneratedPartner): AccountChange {
  const held = [...new Set(account.subscriptions.map((l) => l.sku))];
  const addable = partner.skus.filter((s) => !held.includes(s.sku));
  let kind = rng.weighted<AccountChangeKind>([
    ['quantity-changed', 4],
    ['sku-removed', 2],
    ['sku-added', 2],
    ['cost-changed', 2],
  ]);
  if (held.length === 0) kind = 'sku-added';
  if (kind === 'sku-added' && addable.length === 0) kind = 'quantity-changed';
  if (held.length === 0 && addable.length === 0) throw new RangeError(`account ${account.account.id} can hold no SKU`);

  const sku = kind === 'sku-added' ? rng.pick(addable).sku : rng.pick(held);
  const before = summed(account, sku);
  const lines = account.subscriptions.filter((l) => l.sku === sku);
  switch (kind) {
    case 'quantity-changed': {
      const line = lines[0];
      const delta = Math.max(1, Math.round(line.quantity * rng.float(0.05, 0.3)));
      line.quantity = line.quantity > delta && rng.chance(0.5) ? line.quantity - delta : line.quantity + delta;
      break;
    }
    case 'sku-removed':
      account.subscriptions = account.subscriptions.filter((l) => l.sku !== sku);
      break;
    case 'sku-added': {
      const entry = SKU_CATALOGUE.find((s) => s.sku === sku);
      const unit = entry?.unit;
      account.subscriptions.push({
        planId: `${account.account.id}-p1`,
        planName: 'Monthly plan',
        sku,
        quantity: unit === 'GB' ? 100 * rng.int(1, 20) : rng.int(1, Math.max(1, account.users.length)),
        unitCost: partner.skuCosts[sku] ?? entry?.baseCost ?? 1,
      });
      account.subscriptions.sort((a, b) => (a.planId === b.planId ? (a.sku < b.sku ? -1 : 1) : a.planId < b.planId ? -1 : 1));
      break;
    }
    case 'cost-changed':
      for (const line of lines) line.unitCost = changedAmount(rng, line.unitCost);
      break;
  }
  return { kind, accountId: account.account.id, sku, before, after: summed(account, sku) };
}

function summed(account: GeneratedAccount, sku: string): AccountSubscription | null {
  return sumPlanLines(account.subscriptions.filter((l) => l.sku === sku))[0] ?? null;
}

/** Up or down by 3–15 %, at the amount's precision, never equal to the old amount. */
function changedAmount(rng: Random, amount: number): number {
  const decimals = costDecimals(amount);
  const factor = rng.chance(0.5) ? rng.float(1.03, 1.15) : rng.float(0.85, 0.97);
  const changed = roundTo(amount * factor, decimals);
  return changed === amount ? roundTo(amount + 10 ** -decimals, decimals) : changed;
}
