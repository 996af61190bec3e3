import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { ConnectWiseClientOptions } from '@cwx/connectwise';
import { ConnectWiseClient } from '@cwx/connectwise';
import type { ExportSettings } from '@cwx/domain';
import {
  accountMappings,
  catalogItems,
  connectwiseCredentials,
  type CredentialsCipher,
  exportSettings,
  runs,
  type Database,
} from '@cwx/persistence';
import { budgetHooks, type BudgetHooks, type RequestBudget } from '@cwx/throttle';

export type RunRow = typeof runs.$inferSelect;
export type SettingsRow = typeof exportSettings.$inferSelect;

/**
 * What a job reads from the store before it works: the run, the partner's settings, its credentials
 * (decrypted here, kept only inside the client), the mapping and the catalog. Workers only read these;
 * they write nothing but their ownership records.
 */
export class JobContextLoader {
  constructor(
    private readonly db: Database,
    private readonly cipher: CredentialsCipher,
    private readonly clientOptions: ConnectWiseClientOptions,
    private readonly budget: RequestBudget,
  ) {}

  async run(runId: string, partnerId: string): Promise<RunRow | undefined> {
    const [run] = await this.db.select().from(runs).where(and(eq(runs.id, runId), eq(runs.partnerId, partnerId)));
    return run;
  }

  async settings(partnerId: string): Promise<SettingsRow | undefined> {
    const [row] = await this.db.select().from(exportSettings).where(eq(exportSettings.partnerId, partnerId));
    return row;
  }

  async exportedAccountIds(partnerId: string): Promise<string[]> {
    const rows = await this.db
      .select({ accountId: accountMappings.accountId })
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.state, 'mapped'), eq(accountMappings.exportEnabled, true)));
    return rows.map((r) => r.accountId);
  }

  async mapping(partnerId: string, accountId: string) {
    const [row] = await this.db
      .select()
      .from(accountMappings)
      .where(and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, accountId)));
    return row;
  }

  async catalog(partnerId: string): Promise<Map<string, number>> {
    const rows = await this.db.select().from(catalogItems).where(eq(catalogItems.partnerId, partnerId));
    return new Map(rows.map((r) => [r.sku, r.catalogItemId]));
  }

  /** A client for the partner, throttled by the fleet-wide budget; undefined when no credentials are stored. */
  async client(partnerId: string): Promise<{ client: ConnectWiseClient; hooks: BudgetHooks } | undefined> {
    const [row] = await this.db.select().from(connectwiseCredentials).where(eq(connectwiseCredentials.partnerId, partnerId));
    if (!row) return undefined;
    const privateKey = this.cipher.open(
      { ciphertext: row.privateKeyCiphertext, iv: row.privateKeyIv, tag: row.privateKeyTag, keyId: row.encryptionKeyId },
      partnerId,
    );
    const hooks = budgetHooks(this.budget, partnerId);
    const client = new ConnectWiseClient(
      { site: row.site, companyId: row.companyId, publicKey: row.publicKey, privateKey },
      { ...this.clientOptions, beforeRequest: hooks.beforeRequest, onThrottle: hooks.onThrottle },
    );
    return { client, hooks };
  }
}

export function toExportSettings(row: SettingsRow | undefined): ExportSettings {
  return {
    products: row?.exportProducts ?? true,
    quantity: row?.exportQuantity ?? true,
    cost: row?.exportCost ?? false,
    retailPrice: row?.exportRetailPrice ?? false,
    usersList: row?.exportUsersList ?? true,
    disappearedSku: { mode: row?.disappearedSku ?? 'zero' },
  };
}

/** The run's calendar date in the partner's time zone: the effective/cancel date of its writes. */
export function runDateOf(run: RunRow, settings: SettingsRow | undefined): string {
  if (run.scheduledForDate) return run.scheduledForDate;
  return DateTime.fromJSDate(run.createdAt, { zone: settings?.timeZone ?? 'UTC' }).toISODate() ?? run.createdAt.toISOString().slice(0, 10);
}
