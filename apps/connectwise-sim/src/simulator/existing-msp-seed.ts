import { demoSeed } from './demo-seed';
import type { SimSeed } from './seed';

/** What an existing MSP's ConnectWise is built from: its customers, the SKUs it resells, and what it bills today. */
export interface ExistingMspInput {
  accounts: readonly { id: string; name: string }[];
  skus: readonly { sku: string; name: string }[];
  /** The lines the MSP keyed in by hand (one per account and SKU; a quantity that may be stale). */
  lines: readonly { accountId: string; sku: string; quantity: number }[];
}

/** The ids the seed gave, so a test can find its records. */
export interface ExistingMspSeed {
  seed: SimSeed;
  /** Platform account id → ConnectWise company and agreement ids. */
  accounts: Map<string, { companyId: number; agreementId: number }>;
  /** Platform SKU → the MSP's own catalog item for it. */
  items: Map<string, { id: number; identifier: string; price: number }>;
  /** Hand-made additions: `${accountId} ${sku}` → addition id. */
  additions: Map<string, number>;
}

const FIRST_ID = 100;

/**
 * "Existing MSP" mode: the demo tenant (roles, members, lookups, its own records) plus a ConnectWise an MSP has run for
 * years before adopting the integration: a company and an agreement per customer, its OWN catalog items for what it
 * resells (identifiers of its own, e.g. `MSP-0003`, the vendor's SKU in `vendorSku` for half of them and in
 * `manufacturerPartNumber` for the rest, descriptions close to the platform's names, its own prices), and hand-made
 * agreement lines on those items, quantities not always current. Deterministic: the same input gives the same seed.
 */
export function existingMspSeed(input: ExistingMspInput): ExistingMspSeed {
  const records = structuredClone(demoSeed.records);
  const push = (key: string, record: Record<string, unknown>) => (records[key] ??= []).push(record);
  const accounts = new Map<string, { companyId: number; agreementId: number }>();
  const items = new Map<string, { id: number; identifier: string; price: number }>();
  const additions = new Map<string, number>();

  [...input.skus]
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
    .forEach((s, i) => {
      const id = FIRST_ID + i;
      const identifier = `MSP-${String(i + 1).padStart(4, '0')}`;
      const price = Math.round((10 + i * 3.35) * 100) / 100;
      items.set(s.sku, { id, identifier, price });
      push('procurement/catalog', {
        id,
        identifier,
        description: s.name.slice(0, 60),
        customerDescription: `${s.name} (managed by your MSP)`,
        subcategory: { id: 1 },
        type: { id: 2 },
        unitOfMeasure: { id: 2 },
        price,
        cost: Math.round(price * 60) / 100,
        productClass: 'Service',
        ...(i % 2 === 0 ? { vendorSku: s.sku.slice(0, 50) } : { manufacturerPartNumber: s.sku.slice(0, 50) }),
      });
    });

  input.accounts.forEach((account, i) => {
    const companyId = FIRST_ID + i;
    const contactId = FIRST_ID + i;
    const agreementId = FIRST_ID + i;
    accounts.set(account.id, { companyId, agreementId });
    push('company/companies', {
      id: companyId,
      identifier: `Cust${String(i + 1).padStart(4, '0')}`,
      name: account.name.slice(0, 50),
      addressLine1: '1 Main Street',
      city: 'Springfield',
      state: 'NY',
      zip: '10001',
      types: [{ id: 1 }],
    });
    push('company/contacts', { id: contactId, firstName: 'Billing', lastName: `Contact ${i + 1}`, company: { id: companyId }, defaultFlag: true });
    push('finance/agreements', { id: agreementId, name: `${account.name.slice(0, 80)} Managed Cloud`, type: { id: 2 }, company: { id: companyId }, contact: { id: contactId }, startDate: '2024-01-01T00:00:00Z' });
  });

  let additionId = FIRST_ID;
  for (const line of input.lines) {
    const agreement = accounts.get(line.accountId);
    const item = items.get(line.sku);
    if (!agreement || !item) continue;
    const key = `${line.accountId} ${line.sku}`;
    if (additions.has(key)) continue;
    additions.set(key, additionId);
    push('finance/agreements/additions', {
      id: additionId,
      agreementId: agreement.agreementId,
      product: { id: item.id },
      billCustomer: 'Billable',
      quantity: line.quantity,
      unitPrice: item.price,
      effectiveDate: '2024-01-01T00:00:00Z',
    });
    additionId += 1;
  }
  return { seed: { ...structuredClone(demoSeed), records }, accounts, items, additions };
}
