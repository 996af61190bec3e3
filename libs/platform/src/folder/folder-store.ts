import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { compareCodeUnits } from '../contract/normalize';
import type { PlatformAccount, RejectedAccount } from '../contract/types';
import { PlatformInvalidDataError, PlatformNotFoundError, PlatformUnavailableError } from '../contract/errors';
import { parseAccountList, parseDocument } from '../wire/parse';
import {
  ID_PATTERN,
  accountFileSchema,
  accountsFileSchema,
  partnerSchema,
  retailPricesFileSchema,
  skusFileSchema,
  type AccountFile,
  type AccountsFile,
  type PartnerDocument,
  type RetailPricesFile,
  type SkusFile,
} from '../wire/schemas';

/**
 * The data folder's layout, one folder per partner:
 *
 *   <dataDir>/<partnerId>/partner.json            { id, name, currency }
 *   <dataDir>/<partnerId>/skus.json               { items: [{ sku, name, description?, unit? }] }
 *   <dataDir>/<partnerId>/retail-prices.json      { items: [{ sku, price }] }
 *   <dataDir>/<partnerId>/accounts.json           { items: [{ id, name, status }] }
 *   <dataDir>/<partnerId>/accounts/<accountId>.json
 *                       { subscriptions: [{ planId, planName?, sku, quantity, unitCost }],
 *                         users: [{ id, email, displayName, services: [{ name, enabled }] }] }
 *
 * The first four files are required. An account listed in accounts.json without a file of its own
 * has no subscriptions and no users.
 */
export const FOLDER_FILES = {
  partner: 'partner.json',
  skus: 'skus.json',
  retailPrices: 'retail-prices.json',
  accounts: 'accounts.json',
  accountDir: 'accounts',
} as const;

export function accountFilePath(partnerId: string, accountId: string): string {
  return join(partnerId, FOLDER_FILES.accountDir, `${accountId}.json`);
}

export interface AccountIndex {
  sorted: PlatformAccount[];
  ids: ReadonlySet<string>;
  /** Items of accounts.json left out because they break the contract. */
  rejected: RejectedAccount[];
}

interface CacheEntry {
  mtimeMs: number;
  size: number;
  value: unknown;
}

/**
 * Reads and validates the raw documents of a data folder. Partner-level files are parsed once and
 * re-read only when their modification time or size changes; account files are read on each call.
 */
export class PlatformFolderStore {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly accountIndexes = new WeakMap<AccountsFile, AccountIndex>();

  constructor(readonly dataDir: string) {}

  async readPartner(partnerId: string): Promise<PartnerDocument> {
    this.assertPartnerId(partnerId);
    const file = join(partnerId, FOLDER_FILES.partner);
    const partner = await this.readCached(file, partnerSchema, () => new PlatformNotFoundError('partner', partnerId));
    if (partner.id !== partnerId) {
      throw new PlatformInvalidDataError(file, [{ field: 'id', problem: `must equal the folder name "${partnerId}"` }]);
    }
    return partner;
  }

  async readSkus(partnerId: string): Promise<SkusFile> {
    return this.readPartnerFile(partnerId, FOLDER_FILES.skus, skusFileSchema);
  }

  async readRetailPrices(partnerId: string): Promise<RetailPricesFile> {
    return this.readPartnerFile(partnerId, FOLDER_FILES.retailPrices, retailPricesFileSchema);
  }

  /**
   * accounts.json's valid accounts in ascending id order, with an id set and the items left out (all built
   * once per file version).
   */
  async readAccounts(partnerId: string): Promise<AccountIndex> {
    const file = await this.readPartnerFile(partnerId, FOLDER_FILES.accounts, accountsFileSchema);
    let index = this.accountIndexes.get(file);
    if (!index) {
      const { accounts, rejected } = parseAccountList(file.items);
      const sorted = accounts.sort((a, b) => compareCodeUnits(a.id, b.id));
      index = { sorted, ids: new Set(sorted.map((a) => a.id)), rejected };
      this.accountIndexes.set(file, index);
    }
    return index;
  }

  /** The account's own file; an unknown account is `PlatformNotFoundError`. */
  async readAccount(partnerId: string, accountId: string): Promise<AccountFile> {
    const { ids } = await this.readAccounts(partnerId);
    if (!ids.has(accountId)) {
      throw new PlatformNotFoundError('account', partnerId, accountId);
    }
    const file = accountFilePath(partnerId, accountId);
    const raw = await this.readJson(file, () => null);
    return raw === null ? { subscriptions: [], users: [] } : parseDocument(accountFileSchema, raw, file);
  }

  /** A partner-level file other than partner.json: the partner must exist, the file is required. */
  private async readPartnerFile<S extends z.ZodType>(partnerId: string, name: string, schema: S): Promise<z.infer<S>> {
    await this.readPartner(partnerId);
    const file = join(partnerId, name);
    return this.readCached(file, schema, () => new PlatformInvalidDataError(file, [{ field: '', problem: 'file is missing' }]));
  }

  private assertPartnerId(partnerId: string): void {
    if (!ID_PATTERN.test(partnerId)) throw new PlatformNotFoundError('partner', partnerId);
  }

  private async readCached<S extends z.ZodType>(file: string, schema: S, onMissing: () => Error): Promise<z.infer<S>> {
    const path = join(this.dataDir, file);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw isMissing(error) ? onMissing() : ioError(file, error);
    }
    const cached = this.cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.value as z.infer<S>;
    const value = parseDocument(schema, await this.readJson(file, onMissing), file);
    this.cache.set(path, { mtimeMs: info.mtimeMs, size: info.size, value });
    return value;
  }

  /** Parsed JSON of a file relative to the data folder; `onMissing()` when it does not exist. */
  private async readJson<T>(file: string, onMissing: () => T | Error): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(join(this.dataDir, file), 'utf8');
    } catch (error) {
      if (!isMissing(error)) throw ioError(file, error);
      const fallback = onMissing();
      if (fallback instanceof Error) throw fallback;
      return fallback;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PlatformInvalidDataError(file, [{ field: '', problem: 'is not valid JSON' }]);
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function ioError(file: string, error: unknown): PlatformUnavailableError {
  const code = (error as { code?: unknown } | null)?.code;
  return new PlatformUnavailableError(`Cannot read ${file}`, typeof code === 'string' ? { errorCode: code } : {});
}
