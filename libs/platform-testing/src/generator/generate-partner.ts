import { roundTo, type PlanLine, type PlatformSku, type RetailPrice, type UserRecord } from '@cwx/platform';
import { buildConnectWiseView } from './connectwise-view';
import { domainFor, drawCompanyName, formatName, hostileName, nameKey, vary, type NameVariation } from './names';
import { resolveOptions } from './options';
import { Random } from './prng';
import { SKU_CATALOGUE, type CatalogueSku } from './sku-catalogue';
import type { GeneratedAccount, GeneratedPartner, GeneratePartnerOptions, ResolvedGenerateOptions } from './types';
import { COINED_HEADS, COINED_TAILS, COUNTRIES, MSP_WORDS, type CountryProfile } from './words';

/** Account-side noise: mostly typos and abbreviations, as typed into a control panel. */
const ACCOUNT_NOISE: readonly (readonly [NameVariation, number])[] = [
  ['typo', 4],
  ['abbreviation', 3],
  ['case', 1],
  ['spacing', 1],
  ['punctuation', 1],
];

/** Costs under a dime (per-GB storage) keep 4 decimals; everything else whole cents. */
export const costDecimals = (cost: number): number => (cost < 0.1 ? 4 : 2);

interface PartnerCatalogue {
  entries: CatalogueSku[];
  costs: Map<string, number>;
}

/**
 * A demo partner, in memory, entirely determined by its options: each account draws from its own
 * seeded stream, so the first N accounts are the same whatever the total.
 */
export function generatePartner(input: GeneratePartnerOptions): GeneratedPartner {
  const options = resolveOptions(input);
  const rng = Random.derive(options.seed, options.partnerId, 'partner');
  const home = COUNTRIES.find((c) => c.code === options.country) ?? rng.weighted(COUNTRIES.map((c, i) => [c, i < 3 ? 4 : 1] as const));
  const partnerName = `${rng.pick(COINED_HEADS)}${rng.pick(COINED_TAILS)} ${rng.pick(MSP_WORDS)} ${home.legalForms[0]}`;
  const catalogue = drawCatalogue(rng, options);
  const skus: PlatformSku[] = catalogue.entries.map((e) => ({ sku: e.sku, name: e.name, description: e.description, unit: e.unit }));
  const retailPrices = drawRetailPrices(rng, catalogue);

  const usedNames = new Set<string>();
  const accounts = Array.from({ length: options.accounts }, (_, i) =>
    drawAccount(Random.derive(options.seed, options.partnerId, 'account', i), i, options, home, catalogue, usedNames),
  );
  return {
    options: { ...options, country: home.code },
    partner: { id: options.partnerId, name: partnerName, currency: home.currency },
    skus,
    skuCosts: Object.fromEntries(catalogue.costs),
    retailPrices,
    accounts,
    connectwise: buildConnectWiseView(options, accounts, usedNames),
  };
}

function drawCatalogue(rng: Random, options: ResolvedGenerateOptions): PartnerCatalogue {
  const size = Math.min(SKU_CATALOGUE.length, Math.max(options.skusPerAccount.max, rng.int(25, 40)));
  const entries = rng.weightedSample(SKU_CATALOGUE, (s) => s.weight, size).sort((a, b) => (a.sku < b.sku ? -1 : 1));
  const discount = rng.float(0.85, 1);
  const costs = new Map(
    entries.map((e) => [e.sku, roundTo(e.baseCost * discount * rng.float(0.97, 1.03), costDecimals(e.baseCost))] as const),
  );
  return { entries, costs };
}

/** Mostly a 12–60 % markup; a few loss leaders below cost; a few SKUs with no retail price at all. */
function drawRetailPrices(rng: Random, catalogue: PartnerCatalogue): RetailPrice[] {
  const prices: RetailPrice[] = [];
  for (const entry of catalogue.entries) {
    const cost = catalogue.costs.get(entry.sku) ?? entry.baseCost;
    const missing = rng.chance(0.03);
    const markup = rng.chance(0.05) ? rng.float(0.88, 0.99) : rng.float(1.12, 1.6);
    if (!missing) prices.push({ sku: entry.sku, price: roundTo(cost * markup, costDecimals(cost)) });
  }
  return prices;
}

function drawAccount(
  rng: Random,
  index: number,
  options: ResolvedGenerateOptions,
  home: CountryProfile,
  catalogue: PartnerCatalogue,
  usedNames: Set<string>,
): GeneratedAccount {
  const id = `acc-${String(index + 1).padStart(6, '0')}`;
  const country = rng.chance(0.8) ? home : rng.pick(COUNTRIES);
  const clean = uniqueCompanyName(rng, country, usedNames);
  const cleanName = formatName(clean);
  const nameVariations: GeneratedAccount['nameVariations'] = [];
  let name = cleanName;
  if (rng.chance(options.noisyNames)) {
    const noisy = vary(rng, clean, country, ACCOUNT_NOISE, 1);
    name = formatName(noisy.name);
    nameVariations.push(...noisy.variations);
  }
  if (rng.chance(options.hostileNames)) {
    name = hostileName(rng, name);
    nameVariations.push('hostile');
  }
  const status = rng.weighted([['active', 92], ['suspended', 5], ['cancelled', 3]] as const);

  const { min, max } = options.skusPerAccount;
  const taken = rng.weightedSample(catalogue.entries, (s) => s.weight, Math.min(rng.skewedInt(min, max), catalogue.entries.length));
  const userCount = rng.skewedInt(options.usersPerAccount.min, options.usersPerAccount.max);
  const { users, assigned } = drawUsers(rng, id, userCount, taken.filter((s) => s.perUser), domainFor(clean.base, country), country, options.hostileNames);
  const quantities = new Map(taken.map((s) => [s.sku, quantityFor(rng, s, userCount, assigned.get(s.sku) ?? 0)] as const));
  return {
    account: { id, name, status },
    cleanName,
    nameVariations,
    country: country.code,
    subscriptions: drawPlanLines(rng, id, taken, quantities, catalogue.costs, options.annualTerms),
    users,
  };
}

function uniqueCompanyName(rng: Random, country: CountryProfile, used: Set<string>): ReturnType<typeof drawCompanyName> {
  for (let attempt = 0; ; attempt += 1) {
    const name = drawCompanyName(rng, country);
    if (attempt >= 20) name.base = `${name.base} ${rng.pick(country.places)} ${attempt}`;
    const key = nameKey(name.base);
    if (!used.has(key)) {
      used.add(key);
      return name;
    }
  }
}

function drawUsers(
  rng: Random,
  accountId: string,
  count: number,
  seatSkus: readonly CatalogueSku[],
  domain: string,
  country: CountryProfile,
  hostileShare: number,
): { users: UserRecord[]; assigned: Map<string, number> } {
  const assigned = new Map<string, number>();
  const emails = new Set<string>();
  const users: UserRecord[] = [];
  for (let n = 1; n <= count; n += 1) {
    const first = rng.pick(country.firstNames);
    const last = rng.pick(country.surnames);
    const local = nameKey(`${first}.${last}`) === '' ? 'user' : `${nameKey(first)}.${nameKey(last)}`;
    let email = `${local}@${domain}`;
    for (let k = 2; emails.has(email); k += 1) email = `${local}${k}@${domain}`;
    emails.add(email);
    const mine = seatSkus.filter((_s, i) => (i === 0 ? rng.chance(0.9) : rng.chance(0.35)));
    const services: UserRecord['services'] = [];
    for (const s of mine) {
      assigned.set(s.sku, (assigned.get(s.sku) ?? 0) + 1);
      for (const service of s.services) {
        if (!services.some((x) => x.name === service)) services.push({ name: service, enabled: !rng.chance(0.07) });
      }
    }
    const displayName = rng.chance(hostileShare) ? hostileName(rng, `${first} ${last}`, true) : `${first} ${last}`;
    users.push({ id: `${accountId}-u${String(n).padStart(4, '0')}`, email, displayName, services, skus: mine.map((s) => s.sku) });
  }
  return { users, assigned };
}

function quantityFor(rng: Random, s: CatalogueSku, users: number, assigned: number): number {
  switch (s.unit) {
    case 'user':
      return Math.max(1, assigned + (rng.chance(0.3) ? rng.int(1, 3) : 0));
    case 'device':
      return Math.max(1, Math.round(users * rng.float(0.6, 1.4)));
    case 'server':
      return rng.int(1, 4);
    case 'GB':
      return Math.max(10, Math.round(users * rng.float(15, 150)));
    case 'TB':
      return rng.int(1, 12);
    case 'VM':
      return rng.int(1, 6);
    case 'number':
      return rng.int(1, Math.max(1, users));
    case 'license':
      return rng.int(1, 5);
  }
}

const PLAN_NAMES = ['Monthly plan', 'Add-on plan', 'Annual plan'];

/**
 * Spreads the SKUs over 1–3 plans at the partner's cost (8 % of lines at a special cost). About 6 %
 * of accounts bill one SKU in two plans at different costs, so summing per SKU matters.
 */
function drawPlanLines(
  rng: Random,
  accountId: string,
  taken: readonly CatalogueSku[],
  quantities: Map<string, number>,
  costs: Map<string, number>,
  annualShare: number,
): PlanLine[] {
  const planCount = taken.length <= 2 ? 1 : rng.int(1, 3);
  const lines: PlanLine[] = [];
  const line = (plan: number, sku: string, quantity: number, unitCost: number): PlanLine => ({
    planId: `${accountId}-p${plan + 1}`,
    planName: PLAN_NAMES[plan],
    sku,
    quantity,
    unitCost,
  });
  for (const s of taken) {
    const base = costs.get(s.sku) ?? s.baseCost;
    const cost = rng.chance(0.08) ? roundTo(base * rng.float(0.8, 0.95), costDecimals(base)) : base;
    lines.push(line(rng.int(0, planCount - 1), s.sku, quantities.get(s.sku) ?? 1, cost));
  }
  const splittable = lines.filter((l) => l.quantity >= 2);
  if (splittable.length > 0 && rng.chance(0.06)) {
    const split = rng.pick(splittable);
    const moved = rng.int(1, split.quantity - 1);
    split.quantity -= moved;
    const promo = roundTo(split.unitCost * rng.float(0.7, 0.9), costDecimals(split.unitCost));
    lines.push(line(split.planId.endsWith('-p1') ? 1 : 0, split.sku, moved, promo));
  }
  // Some seats committed for a year: part of the SKU's quantity on an annual line of its own (never summed with the monthly one).
  // Draws only when asked for, so a partner generated without annual terms is the same as before they existed.
  if (annualShare > 0) {
    for (const monthly of lines.filter((l) => l.quantity >= 2 && taken.some((s) => s.sku === l.sku && s.perUser))) {
      if (!rng.chance(annualShare)) continue;
      const annual = rng.int(1, monthly.quantity - 1);
      monthly.quantity -= annual;
      lines.push({ ...line(Number(monthly.planId.slice(monthly.planId.lastIndexOf('-p') + 2)) - 1, monthly.sku, annual, monthly.unitCost), term: 'annual' });
    }
  }
  return lines.sort((a, b) => (a.planId === b.planId ? (a.sku === b.sku ? ((a.term ?? 'monthly') < (b.term ?? 'monthly') ? 1 : -1) : a.sku < b.sku ? -1 : 1) : a.planId < b.planId ? -1 : 1));
}
