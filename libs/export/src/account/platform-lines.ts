/**
 * What the platform bills on one account, as the plan reads it: each subscription line (with its term when not
 * monthly) at its retail price when a price is needed, and the account's users when the plan counts them. The export
 * and the reconciliation view read it the same way.
 */
import type { BillingControl, DesiredAddition, ExportSettings } from '@cwx/domain';
import type { PlatformSource, PlatformUser } from '@cwx/platform';

export interface PlatformLines {
  desired: DesiredAddition[];
  /** Read when the users CSV is exported or the billing control counts users; else undefined. */
  users?: PlatformUser[];
}

export async function readPlatformLines(
  platform: Pick<PlatformSource, 'getSubscriptions' | 'getRetailPrices' | 'getUsers'>,
  input: { partnerId: string; accountId: string; settings: ExportSettings; billing?: BillingControl },
): Promise<PlatformLines> {
  const { partnerId, accountId, settings, billing } = input;
  const [subscriptions, prices, users] = await Promise.all([
    platform.getSubscriptions(partnerId, accountId),
    settings.retailPrice || retailRuled(billing) ? platform.getRetailPrices(partnerId) : undefined,
    settings.usersList || usersCounted(billing) ? platform.getUsers(partnerId, accountId) : undefined,
  ]);
  const priceOf = new Map(prices?.prices.map((p) => [p.sku, p.price]));
  const desired = subscriptions.map(({ sku, quantity, unitCost, term }) => {
    const line: DesiredAddition = { sku, quantity, unitCost, ...(term && term !== 'monthly' ? { term } : {}) };
    const price = priceOf.get(sku);
    if (price !== undefined) line.retailPrice = price;
    return line;
  });
  return { desired, ...(users ? { users } : {}) };
}

/** A bundle counting distinct users, or a user exclusion: the plan needs the account's users. */
function usersCounted(billing: BillingControl | undefined): boolean {
  if (!billing) return false;
  return billing.bundles.some((b) => b.quantity === 'distinct-users') || billing.account.exclusions.some((e) => e.userId !== undefined);
}

/** A price rule that asks for the platform's retail price, whatever the retail price setting. */
function retailRuled(billing: BillingControl | undefined): boolean {
  if (!billing) return false;
  return billing.products.some((m) => m.price?.kind === 'platform-retail') || billing.account.prices.some((p) => p.price.kind === 'platform-retail');
}
