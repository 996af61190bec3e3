import { SKU_CATALOGUE } from './sku-catalogue';
import type { GeneratePartnerOptions, IntRange, ResolvedGenerateOptions } from './types';
import { COUNTRIES } from './words';
import { PLATFORM_ID_PATTERN as ID_PATTERN } from '@cwx/platform';

export const MAX_ACCOUNTS = 100_000;

/** Options with defaults applied; throws a RangeError naming the first bad option. */
export function resolveOptions(options: GeneratePartnerOptions): ResolvedGenerateOptions {
  const { partnerId, accounts } = options;
  if (!ID_PATTERN.test(partnerId)) throw new RangeError(`partnerId must match ${String(ID_PATTERN)}`);
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > MAX_ACCOUNTS) {
    throw new RangeError(`accounts must be an integer from 1 to ${MAX_ACCOUNTS}`);
  }
  const country = options.country ?? '';
  if (country !== '' && !COUNTRIES.some((c) => c.code === country)) {
    throw new RangeError(`country must be one of ${COUNTRIES.map((c) => c.code).join(', ')}`);
  }
  return {
    partnerId,
    seed: options.seed,
    accounts,
    skusPerAccount: range('skusPerAccount', options.skusPerAccount ?? { min: 1, max: 30 }, SKU_CATALOGUE.length),
    usersPerAccount: range('usersPerAccount', options.usersPerAccount ?? { min: 1, max: 40 }, 10_000),
    connectwiseShare: share('connectwiseShare', options.connectwiseShare ?? 0.6),
    unrelatedCompanies: count('unrelatedCompanies', options.unrelatedCompanies ?? Math.round(accounts / 4)),
    noisyNames: share('noisyNames', options.noisyNames ?? 0.1),
    hostileNames: share('hostileNames', options.hostileNames ?? 0),
    annualTerms: share('annualTerms', options.annualTerms ?? 0),
    country,
  };
}

function range(name: string, value: IntRange | number, limit: number): IntRange {
  const r = typeof value === 'number' ? { min: value, max: value } : value;
  if (!Number.isInteger(r.min) || !Number.isInteger(r.max) || r.min < 0 || r.max < r.min || r.max > limit) {
    throw new RangeError(`${name} must be whole numbers with 0 ≤ min ≤ max ≤ ${limit}`);
  }
  return { min: r.min, max: r.max };
}

function share(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1`);
  return value;
}

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_ACCOUNTS) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_ACCOUNTS}`);
  }
  return value;
}
