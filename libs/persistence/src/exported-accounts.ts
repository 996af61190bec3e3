import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from './database';
import type { Transaction } from './partner-transaction';
import { accountMappings, reviewChanges } from './schema';

/** An account a run exports: mapped to an agreement with Export on. */
export interface ExportedAccount {
  accountId: string;
  accountName: string;
  agreementId: number;
  platformStatus: 'active' | 'suspended' | 'cancelled';
}

type MappingFields = Pick<typeof accountMappings.$inferSelect, 'state' | 'exportEnabled' | 'agreementId'>;

/** What "exported" means, for one row already read: mapped, Export on, an agreement to write to. */
export function isExported<T extends MappingFields>(row: T | undefined): row is T & { agreementId: number } {
  return row !== undefined && row.state === 'mapped' && row.exportEnabled && row.agreementId !== null;
}

/**
 * The partner's exported accounts (the rule of {@link isExported}), by account id: the one query for the run's
 * fan-out, the catalog phase, the preview and the reconciliation. `approvedChangesOnly`: only accounts with a
 * change approved in the review queue (a run of approved changes goes to those and no others).
 */
export async function exportedAccounts(
  db: Database | Transaction,
  partnerId: string,
  options: { approvedChangesOnly?: boolean } = {},
): Promise<ExportedAccount[]> {
  const rows = await db
    .select({
      accountId: accountMappings.accountId,
      accountName: accountMappings.accountName,
      agreementId: accountMappings.agreementId,
      platformStatus: accountMappings.platformStatus,
    })
    .from(accountMappings)
    .where(
      and(
        eq(accountMappings.partnerId, partnerId),
        eq(accountMappings.state, 'mapped'),
        eq(accountMappings.exportEnabled, true),
        options.approvedChangesOnly
          ? inArray(
              accountMappings.accountId,
              db
                .selectDistinct({ accountId: reviewChanges.accountId })
                .from(reviewChanges)
                .where(and(eq(reviewChanges.partnerId, partnerId), eq(reviewChanges.status, 'approved'))),
            )
          : undefined,
      ),
    )
    .orderBy(asc(accountMappings.accountId));
  return rows.flatMap((r) => (r.agreementId === null ? [] : [{ ...r, agreementId: r.agreementId }]));
}
