import { squash } from '../src/text/tokenize';
import { type CompanyRecord } from '../src/types';
import { type LabelledAccount } from './labelled-sets';

/**
 * Deterministic synthetic company lists for the scale benchmark: MSP-customer-like names built from
 * surnames, places, business nouns and legal forms (word lists written for this bench), and account names
 * that are variants of them (case, legal form dropped or changed, "&"/"and", abbreviations, a typo, word
 * order) or names absent from the company list.
 */

/** mulberry32: a small seeded PRNG, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = (
  'Abbott Adler Alvarez Archer Baker Barrett Becker Bishop Blake Bradley Brennan Burke Byrne Caldwell Carver Chandler Chen ' +
  'Clarke Coleman Collins Conway Cooper Crawford Dalton Dawson Delgado Dixon Doyle Drummond Duncan Eaton Elliott Ellis Emerson ' +
  'Farrell Fischer Fleming Fletcher Foster Fowler Franklin Gallagher Garcia Gardner Gibson Gordon Graham Grant Griffin Hale ' +
  'Hamilton Hansen Harper Hartley Hayes Henderson Hoffman Holland Hughes Hunter Ingram Jacobs Jensen Kaplan Keller Kennedy ' +
  'Kerr Kimura Klein Lambert Lawson Lindqvist Lowe Lynch Mackenzie Maddox Malone Marsh Mason McCarthy Mercer Meyer Moreno ' +
  'Morrison Murphy Nakamura Nash Nolan Novak Oconnor Olsen Osborne Palmer Parker Patel Pearson Perry Porter Quinn Ramsey ' +
  'Reed Reyes Riley Robinson Rossi Russell Sandoval Schmidt Schneider Sharma Shaw Sinclair Sloan Spencer Stewart Sullivan ' +
  'Sutton Tanaka Thornton Townsend Tucker Turner Vance Vargas Walsh Warner Watts Weber Whitaker Wilder Winslow Wolfe Young Zimmerman'
).split(' ');

const PLACES = (
  'Atlantic Pacific Northern Southern Eastern Western Midwest Coastal Valley Summit Harbor Lakeside Riverside Highland Prairie ' +
  'Canyon Redwood Cedar Pine Oak Maple Willow Granite Bluewater Silverlake Ironwood Stonebridge Fairview Greenfield Brookside ' +
  'Hudson Potomac Cascade Sierra Rocky Gulf Bay Metro Capital Central Tri County Lone Star Golden Gate Evergreen Heartland'
).split(' ');

const NOUNS = (
  'Anchor Apex Arrow Beacon Bridge Compass Crest Crown Delta Eagle Falcon Forge Frontier Gateway Horizon Keystone Landmark ' +
  'Liberty Lighthouse Meridian Monarch Nexus Orbit Paragon Pinnacle Pioneer Quantum Radiant Ridge Sentinel Sterling Vector ' +
  'Vertex Vista Zenith Harvest Cornerstone Bluebird Redhawk Wolfpack Trident Northstar Blueprint Catalyst Momentum Spectrum'
).split(' ');

const TRADES = (
  'Dental Plumbing Roofing Electric Landscaping Logistics Freight Construction Architecture Accounting Legal Insurance Realty ' +
  'Veterinary Pediatrics Orthodontics Chiropractic Pharmacy Bakery Brewing Catering Printing Signs Machining Fabrication ' +
  'Welding Automotive Marine Aviation Energy Solar Water Environmental Engineering Surveying Consulting Staffing Marketing ' +
  'Media Software Networks Security Storage Medical Imaging Laboratories Therapy Fitness Hospitality Travel Education Learning'
).split(' ');

const GENERIC = 'Group Services Solutions Holdings Partners Associates Systems Technologies Enterprises Industries International'.split(' ');
const LEGAL = ['Inc', 'Inc.', 'LLC', 'Ltd', 'Ltd.', 'Corp', 'Corporation', 'Co.', 'Company', 'PLC', 'LLP', 'PC', 'GmbH', 'Pty Ltd', ''];

type Rand = () => number;

function pick<T>(r: Rand, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function baseName(r: Rand): string {
  switch (Math.floor(r() * 8)) {
    case 0:
      return `${pick(r, SURNAMES)} ${pick(r, TRADES)}`;
    case 1:
      return `${pick(r, SURNAMES)} & ${pick(r, SURNAMES)}`;
    case 2:
      return `${pick(r, PLACES)} ${pick(r, TRADES)} ${pick(r, GENERIC)}`;
    case 3:
      return `${pick(r, NOUNS)} ${pick(r, TRADES)}`;
    case 4:
      return `${pick(r, SURNAMES)}, ${pick(r, SURNAMES)} and ${pick(r, SURNAMES)}`;
    case 5:
      return `${pick(r, PLACES)} ${pick(r, NOUNS)} ${pick(r, GENERIC)}`;
    case 6:
      return `${pick(r, NOUNS)} ${pick(r, SURNAMES)} ${pick(r, TRADES)}`;
    default:
      return `${pick(r, SURNAMES)} ${pick(r, TRADES)} ${pick(r, GENERIC)}`;
  }
}

function withLegal(r: Rand, name: string): string {
  const legal = pick(r, LEGAL);
  return legal ? `${name} ${legal}` : name;
}

/** ConnectWise-style identifier: words capitalised, letters and digits only, at most 25 characters. */
export function makeIdentifier(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('')
    .slice(0, 25);
}

const ABBREVIATE: readonly [RegExp, string][] = [
  [/\bCorporation\b/, 'Corp'],
  [/\bInternational\b/, 'Intl'],
  [/\bServices\b/, 'Svcs'],
  [/\bTechnologies\b/, 'Tech'],
  [/\bHoldings\b/, 'Hldgs'],
  [/\bAssociates\b/, 'Assoc'],
  [/\bGroup\b/, 'Grp'],
  [/\bCompany\b/, 'Co'],
  [/ & /, ' and '],
  [/ and /, ' & '],
];

function typo(r: Rand, name: string): string {
  const words = name.split(' ');
  const i = words.findIndex((w) => w.length >= 6);
  if (i < 0) return name;
  const w = words[i];
  const p = 1 + Math.floor(r() * (w.length - 2));
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(r() * 26)];
  words[i] = w.slice(0, p) + letter + w.slice(p + 1);
  return words.join(' ');
}

function variant(r: Rand, company: string, core: string): string {
  switch (Math.floor(r() * 7)) {
    case 0:
      return company.toUpperCase();
    case 1:
      return core;
    case 2:
      return withLegal(r, core);
    case 3: {
      const rule = ABBREVIATE.find(([re]) => re.test(company));
      return rule ? company.replace(rule[0], rule[1]) : company.toLowerCase();
    }
    case 4:
      return typo(r, company);
    case 5:
      return `The ${core}`;
    default:
      return company.replace(/,/g, '');
  }
}

export interface SyntheticData {
  readonly companies: CompanyRecord[];
  readonly accounts: LabelledAccount[];
}

/**
 * `companies` distinct company names and `accounts` accounts, of which `matchableShare` are variants of a
 * company (label = its id) and the rest names not in the company list (label '').
 */
export function generate(seed: number, companyCount: number, accountCount: number, matchableShare = 0.8): SyntheticData {
  const r = rng(seed);
  const seen = new Set<string>();
  const companies: CompanyRecord[] = [];
  const cores: string[] = [];
  while (companies.length < companyCount) {
    const core = baseName(r);
    const key = squash(core);
    if (seen.has(key)) continue;
    seen.add(key);
    const name = withLegal(r, core);
    cores.push(core);
    companies.push({ id: 100000 + companies.length, identifier: makeIdentifier(name), name });
  }
  const accounts: LabelledAccount[] = [];
  const used = new Set<number>();
  while (accounts.length < accountCount) {
    const id = String(accounts.length + 1);
    if (r() < matchableShare) {
      const i = Math.floor(r() * companies.length);
      if (used.has(i)) continue;
      used.add(i);
      accounts.push({ id, name: variant(r, companies[i].name, cores[i]), expected: String(companies[i].id) });
    } else {
      const core = baseName(r);
      if (seen.has(squash(core))) continue;
      seen.add(squash(core));
      accounts.push({ id, name: withLegal(r, core), expected: '' });
    }
  }
  return { companies, accounts };
}
