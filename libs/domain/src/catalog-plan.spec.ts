import { catalogIdentifierFor } from './catalog-identifier';
import { type CatalogDecision, type DesiredProduct, type ExistingCatalogItem, knownCatalogItemIds, planCatalog } from './catalog-plan';
import type { ExportSettings } from './settings';
import { someSettings } from './testing/builders';

const bp: DesiredProduct = { sku: 'M365-BP', description: 'Microsoft 365 Business Premium', cost: 22, price: 28.5 };
const item = (overrides: Partial<ExistingCatalogItem> = {}): ExistingCatalogItem => ({
  id: 501,
  identifier: 'M365-BP',
  description: 'Microsoft 365 Business Premium',
  cost: 22,
  price: 28.5,
  inactiveFlag: false,
  ...overrides,
});

interface Scenario {
  name: string;
  skus: DesiredProduct[];
  existing?: ExistingCatalogItem[];
  settings?: Partial<ExportSettings>;
  decisions: CatalogDecision[];
}

const scenarios: Scenario[] = [
  {
    name: 'missing: created with cost and price',
    skus: [bp],
    decisions: [
      {
        kind: 'create',
        sku: 'M365-BP',
        identifier: 'M365-BP',
        fields: {
          identifier: 'M365-BP',
          description: 'Microsoft 365 Business Premium',
          customerDescription: 'Microsoft 365 Business Premium',
          cost: 22,
          price: 28.5,
        },
      },
    ],
  },
  {
    name: 'missing, cost and price off: created without them',
    skus: [{ ...bp, customerDescription: 'Per user, per month' }],
    settings: { cost: false, retailPrice: false },
    decisions: [
      {
        kind: 'create',
        sku: 'M365-BP',
        identifier: 'M365-BP',
        fields: { identifier: 'M365-BP', description: 'Microsoft 365 Business Premium', customerDescription: 'Per user, per month' },
      },
    ],
  },
  {
    name: 'missing, products off: not created',
    skus: [bp],
    settings: { products: false },
    decisions: [{ kind: 'skipped', sku: 'M365-BP', identifier: 'M365-BP', reason: 'products-disabled', message: expect.any(String) as string }],
  },
  {
    name: 'present and equal: unchanged',
    skus: [bp],
    existing: [item()],
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'found case-insensitively, as ConnectWise matches identifiers',
    skus: [bp],
    existing: [item({ identifier: 'm365-bp' })],
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'description differs: left alone (the partner may rename items)',
    skus: [bp],
    existing: [item({ description: 'M365 BP (renamed by the MSP)' })],
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'cost and price differ: one patch with both',
    skus: [bp],
    existing: [item({ cost: 20, price: null })],
    decisions: [
      {
        kind: 'patch',
        sku: 'M365-BP',
        identifier: 'M365-BP',
        catalogItemId: 501,
        changes: [
          { field: 'cost', before: 20, after: 22 },
          { field: 'price', before: null, after: 28.5 },
        ],
      },
    ],
  },
  {
    name: 'cost differs, cost off: unchanged',
    skus: [bp],
    existing: [item({ cost: 20 })],
    settings: { cost: false },
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'price differs, retail price off: unchanged',
    skus: [bp],
    existing: [item({ price: 30 })],
    settings: { retailPrice: false },
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'price differs, products off: the catalog is not written at all',
    skus: [bp],
    existing: [item({ price: 30 })],
    settings: { products: false },
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'price equal at four decimals (float noise): unchanged',
    skus: [{ ...bp, price: 28.5 }],
    existing: [item({ price: 28.500000001 })],
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'sub-cent price raised (0.0443 → 0.0483): patched',
    skus: [{ ...bp, price: 0.0483 }],
    existing: [item({ price: 0.0443 })],
    decisions: [
      { kind: 'patch', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501, changes: [{ field: 'price', before: 0.0443, after: 0.0483 }] },
    ],
  },
  {
    name: 'sub-cent cost changed (0.0516 → 0.0566): patched',
    skus: [{ ...bp, cost: 0.0566 }],
    existing: [item({ cost: 0.0516 })],
    decisions: [
      { kind: 'patch', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501, changes: [{ field: 'cost', before: 0.0516, after: 0.0566 }] },
    ],
  },
  {
    name: 'no cost known for the SKU: the item cost is left alone',
    skus: [{ ...bp, cost: undefined }],
    existing: [item({ cost: 3 })],
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
  {
    name: 'identifier exists twice: conflict, nothing written',
    skus: [bp],
    existing: [item({ id: 777, identifier: 'M365-BP ' }), item({ cost: 1 })],
    decisions: [
      { kind: 'conflict', sku: 'M365-BP', identifier: 'M365-BP', reason: 'duplicate-identifier', catalogItemIds: [501, 777], message: expect.any(String) as string },
    ],
  },
  {
    name: 'inactive item: reported, not reactivated, not patched',
    skus: [bp],
    existing: [item({ inactiveFlag: true, cost: 1 })],
    decisions: [
      { kind: 'conflict', sku: 'M365-BP', identifier: 'M365-BP', reason: 'inactive', catalogItemIds: [501], message: expect.any(String) as string },
    ],
  },
  {
    name: 'two SKUs differing only by case: both reported, neither created',
    skus: [bp, { ...bp, sku: 'm365-bp' }],
    decisions: [
      { kind: 'conflict', sku: 'M365-BP', identifier: 'M365-BP', reason: 'identifier-collision', catalogItemIds: [], message: expect.stringContaining('m365-bp') as string },
      { kind: 'conflict', sku: 'm365-bp', identifier: 'm365-bp', reason: 'identifier-collision', catalogItemIds: [], message: expect.stringContaining('M365-BP') as string },
    ],
  },
  {
    name: 'empty SKU: reported',
    skus: [{ ...bp, sku: '  ' }],
    decisions: [
      { kind: 'conflict', sku: '  ', identifier: catalogIdentifierFor('  '), reason: 'invalid-sku', catalogItemIds: [], message: expect.any(String) as string },
    ],
  },
  {
    name: 'the same SKU listed twice: one decision',
    skus: [bp, bp],
    existing: [item()],
    decisions: [{ kind: 'unchanged', sku: 'M365-BP', identifier: 'M365-BP', catalogItemId: 501 }],
  },
];

describe('planCatalog', () => {
  it.each(scenarios)('$name', ({ skus, existing, settings, decisions }) => {
    const plan = planCatalog({ skus, existing: existing ?? [], settings: someSettings(settings) });

    expect(plan.decisions).toEqual(decisions);
    expect(plan.writes).toBe(decisions.filter((d) => d.kind === 'create' || d.kind === 'patch').length);
  });

  it('fits long descriptions into ConnectWise limits, keeping the full text for the customer', () => {
    const description = 'Microsoft 365 Business Premium with Defender for Business and Intune Suite add-on';
    const plan = planCatalog({ skus: [{ sku: 'BUNDLE', description }], existing: [], settings: someSettings() });

    expect(plan.decisions).toEqual([
      expect.objectContaining({
        kind: 'create',
        fields: expect.objectContaining({
          description: 'Microsoft 365 Business Premium with Defender for Business…',
          customerDescription: description,
        }),
      }),
    ]);
  });

  it('gives an item with no description the SKU as its description, on one line', () => {
    const plan = planCatalog({ skus: [{ sku: 'BARE', description: ' \n\t ' }], existing: [], settings: someSettings() });

    expect(plan.decisions).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ description: 'BARE', customerDescription: 'BARE' }) }),
    ]);
  });

  it('gives an item a long SKU\'s hashed identifier, and finds it again by that identifier', () => {
    const sku = `VENDOR-${'Q'.repeat(100)}`;
    const identifier = catalogIdentifierFor(sku);

    const first = planCatalog({ skus: [{ sku, description: 'Long one' }], existing: [], settings: someSettings() });
    const second = planCatalog({ skus: [{ sku, description: 'Long one' }], existing: [item({ id: 9, identifier })], settings: someSettings() });

    expect(first.decisions).toEqual([expect.objectContaining({ kind: 'create', identifier, fields: expect.objectContaining({ identifier }) })]);
    expect(second.decisions).toEqual([{ kind: 'unchanged', sku, identifier, catalogItemId: 9 }]);
  });

  it('gives the same plan whatever order the SKUs and items arrive in, even with a SKU listed twice', () => {
    const skus = [{ sku: 'Z-NEW', description: 'z' }, bp, { ...bp, price: 99 }, { sku: 'A-OLD', description: 'a', cost: 5 }];
    const existing = [item({ price: 1 }), item({ id: 42, identifier: 'A-OLD', cost: 4 })];

    const forward = planCatalog({ skus, existing, settings: someSettings() });
    const backward = planCatalog({ skus: [...skus].reverse(), existing: [...existing].reverse(), settings: someSettings() });

    expect(backward).toEqual(forward);
  });

  it('sorts decisions by SKU and maps the known ones to their item ids', () => {
    const plan = planCatalog({
      skus: [{ sku: 'Z-NEW', description: 'z' }, bp, { sku: 'A-OLD', description: 'a', cost: 5 }],
      existing: [item(), item({ id: 42, identifier: 'A-OLD', cost: 4 })],
      settings: someSettings(),
    });

    expect(plan.decisions.map((d) => `${d.kind}:${d.sku}`)).toEqual(['patch:A-OLD', 'unchanged:M365-BP', 'create:Z-NEW']);
    expect(knownCatalogItemIds(plan)).toEqual(new Map([['A-OLD', 42], ['M365-BP', 501]]));
  });
});
