import type { AccountSubscription, PlanLine, PlatformAccount, PlatformPartner, PlatformSku, RetailPrice, UserRecord } from '@cwx/platform';
import type { NameVariation } from './names';
import type { Seed } from './prng';

export interface IntRange {
  min: number;
  max: number;
}

export interface GeneratePartnerOptions {
  partnerId: string;
  /** Same seed (and options) → the same partner, byte for byte once written. */
  seed: Seed;
  /** Number of customer accounts, 1 to 100,000. */
  accounts: number;
  /** SKUs per account; most accounts have few. Default { min: 1, max: 30 }. */
  skusPerAccount?: IntRange | number;
  /** Users per account; most accounts have few. Default { min: 1, max: 40 }. */
  usersPerAccount?: IntRange | number;
  /** Share of accounts that have a company in the ConnectWise view (0–1). Default 0.6. */
  connectwiseShare?: number;
  /** Companies in the ConnectWise view that match no account. Default a quarter of the accounts. */
  unrelatedCompanies?: number;
  /** Share of account names with a typo, an abbreviation or other noise (0–1). Default 0.1. */
  noisyNames?: number;
  /** Share of account and user names beginning with =, +, - or @ (0–1). Default 0. */
  /** Share of seat SKU lines (0-1, default 0) that also have an annual-term line of their own. */
  annualTerms?: number;
  hostileNames?: number;
  /** ISO country code of the partner (US, GB, DE, NL, FR, ES, AU, CA). Default drawn from the seed. */
  country?: string;
}

export type ResolvedGenerateOptions = Required<Omit<GeneratePartnerOptions, 'skusPerAccount' | 'usersPerAccount'>> & {
  skusPerAccount: IntRange;
  usersPerAccount: IntRange;
};

export interface GeneratedAccount {
  account: PlatformAccount;
  /** The company's name before any noise or hostile prefix (what an accurate ConnectWise would hold). */
  cleanName: string;
  /** How `account.name` differs from `cleanName` (empty when it does not). */
  nameVariations: (NameVariation | 'hostile')[];
  country: string;
  /** Raw plan lines: a SKU may appear in more than one plan. */
  subscriptions: PlanLine[];
  users: UserRecord[];
}

/** A company as ConnectWise holds it; compatible with @cwx/matching's CompanyRecord. */
export interface ConnectWiseCompany {
  id: number;
  identifier: string;
  name: string;
}

/** Ground truth for name suggestions: which company is the account's, and how the names differ. */
export interface ConnectWiseMatch {
  accountId: string;
  companyId: number;
  /** Differences between the clean name and the company's name; empty when identical. */
  companyVariations: NameVariation[];
}

export interface ConnectWiseView {
  companies: ConnectWiseCompany[];
  matches: ConnectWiseMatch[];
}

export interface GeneratedPartner {
  options: ResolvedGenerateOptions;
  partner: PlatformPartner;
  skus: PlatformSku[];
  /** Cost before per-account specials; what most plans bill. */
  skuCosts: Record<string, number>;
  retailPrices: RetailPrice[];
  accounts: GeneratedAccount[];
  connectwise: ConnectWiseView;
}

export type AccountChangeKind = 'quantity-changed' | 'sku-removed' | 'sku-added' | 'cost-changed';

export interface AccountChange {
  kind: AccountChangeKind;
  accountId: string;
  sku: string;
  /** The account's summed subscription for the SKU before and after (null: absent). */
  before: AccountSubscription | null;
  after: AccountSubscription | null;
}

export interface RetailPriceChange {
  kind: 'retail-price-changed';
  sku: string;
  before: number;
  after: number;
}

export type PartnerChange = AccountChange | RetailPriceChange;

export interface MutatePartnerOptions {
  seed: Seed;
  /** Share of accounts with exactly one change to their subscriptions (0–1). */
  changedShare: number;
  /** Number of SKUs whose retail price changes (affects every account holding them). Default 0. */
  retailPriceChanges?: number;
}
