import type { AccountOperation, ActualAddition, DesiredAddition, OwnershipRecord, PlanWarning, SkippedSku } from './account-types';
import { planAccount, toConnectWiseDateTime } from './account-plan';
import { lineKey } from './billing';
import { DomainError, DomainErrorCode } from './errors';
import type { ExportSettings, PlatformAccountStatus } from './settings';
import { aLine, anAddition, applyPlan, someSettings } from './testing/builders';

const RUN_DATE = '2024-06-30';
const RUN_AT = '2024-06-30T00:00:00Z';
const BP = 'M365-BP';
const E3 = 'M365-E3';
const catalog = new Map([
  [BP, 501],
  [E3, 502],
]);

/** Addition 11, cancelled in May, brought back with quantity 4. */
const reactivatedBP: ExpectedOperation = {
  kind: 'update',
  sku: BP,
  additionId: 11,
  reactivates: true,
  changes: [
    { field: 'cancelledDate', before: '2024-05-31T00:00:00Z', after: null },
    { field: 'quantity', before: 10, after: 4 },
  ],
};

/** An operation as the tables write it: its line key is the monthly line of its SKU's own item (`withKey`). */
type ExpectedOperation = AccountOperation extends infer T ? (T extends AccountOperation ? Omit<T, 'key' | 'record'> : never) : never;

/** The key each operation must carry: every SKU of these tables is on its own catalog item, monthly. */
function withKey(op: ExpectedOperation): AccountOperation {
  return { ...op, key: lineKey(catalog.get(op.sku) ?? -1, 'monthly'), record: op.sku };
}

interface Scenario {
  name: string;
  desired: DesiredAddition[];
  actual?: ActualAddition[];
  ownership?: OwnershipRecord[];
  settings?: Partial<ExportSettings>;
  operations: ExpectedOperation[];
  skipped?: Pick<SkippedSku, 'sku' | 'reason'>[];
  warnings?: Pick<PlanWarning, 'code' | 'sku' | 'additionIds'>[];
  accountStatus?: PlatformAccountStatus;
}

const scenarios: Scenario[] = [
  {
    name: 'first export: every SKU is created, with cost and price when enabled',
    desired: [aLine(BP), aLine(E3, { quantity: 5, unitCost: 30, retailPrice: 36 })],
    operations: [
      { kind: 'create', sku: BP, productId: 501, quantity: 10, unitCost: 12.5, unitPrice: 20, billCustomer: 'Billable', effectiveDate: RUN_AT },
      { kind: 'create', sku: E3, productId: 502, quantity: 5, unitCost: 30, unitPrice: 36, billCustomer: 'Billable', effectiveDate: RUN_AT },
    ],
  },
  {
    name: 'first export with cost and price off: ConnectWise defaults them from the catalog item',
    desired: [aLine(BP)],
    settings: { cost: false, retailPrice: false },
    operations: [{ kind: 'create', sku: BP, productId: 501, quantity: 10, billCustomer: 'Billable', effectiveDate: RUN_AT }],
  },
  {
    name: 'first export with quantity off still sends the desired quantity',
    desired: [aLine(BP, { quantity: 7 })],
    settings: { quantity: false },
    operations: [{ kind: 'create', sku: BP, productId: 501, quantity: 7, unitCost: 12.5, unitPrice: 20, billCustomer: 'Billable', effectiveDate: RUN_AT }],
  },
  {
    name: 'unchanged: nothing to write',
    desired: [aLine(BP), aLine(E3)],
    actual: [anAddition(11, 501), anAddition(12, 502)],
    ownership: [{ key: BP, additionId: 11 }, { key: E3, additionId: 12 }],
    operations: [],
  },
  {
    name: 'quantity change: one update with only the quantity',
    desired: [aLine(BP, { quantity: 12 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 12 }] }],
  },
  {
    name: 'quantity change with quantity off: no write',
    desired: [aLine(BP, { quantity: 12 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { quantity: false },
    operations: [],
  },
  {
    name: 'cost change with cost off: no write',
    desired: [aLine(BP, { unitCost: 14 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { cost: false },
    operations: [],
  },
  {
    name: 'cost change with cost on',
    desired: [aLine(BP, { unitCost: 14 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'unitCost', before: 12.5, after: 14 }] }],
  },
  {
    name: 'manual price in ConnectWise, retail price off: left alone',
    desired: [aLine(BP, { retailPrice: 20 })],
    actual: [anAddition(11, 501, { unitPrice: 17.99 })],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { retailPrice: false },
    operations: [],
  },
  {
    name: 'manual price in ConnectWise, retail price on: overwritten',
    desired: [aLine(BP, { retailPrice: 20 })],
    actual: [anAddition(11, 501, { unitPrice: 17.99 })],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'unitPrice', before: 17.99, after: 20 }] }],
  },
  {
    name: 'no price list entry, policy skip-price: the line is written, its price left alone, with a warning',
    desired: [aLine(BP, { retailPrice: undefined, quantity: 12 })],
    actual: [anAddition(11, 501, { unitPrice: 17.99 })],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { missingRetailPrice: 'skip-price' },
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 12 }] }],
    warnings: [{ code: 'missing-retail-price', sku: BP, additionIds: [11] }],
  },
  {
    name: 'no price list entry, policy skip-price, new line: created without a unit price (ConnectWise takes the catalog\'s), with a warning',
    desired: [aLine(BP, { retailPrice: undefined })],
    settings: { missingRetailPrice: 'skip-price' },
    operations: [{ kind: 'create', sku: BP, productId: 501, quantity: 10, unitCost: 12.5, billCustomer: 'Billable', effectiveDate: RUN_AT }],
    warnings: [{ code: 'missing-retail-price', sku: BP, additionIds: [] }],
  },
  {
    name: 'no price list entry, policy fail-line: nothing written for that SKU (not created, not updated, not retired), the others go on',
    desired: [aLine(BP, { retailPrice: undefined, quantity: 12 }), aLine(E3, { retailPrice: undefined }), aLine('M365-E5', { quantity: 2 })],
    actual: [anAddition(11, 501, { unitPrice: 17.99 })],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { missingRetailPrice: 'fail-line' },
    operations: [],
    skipped: [
      { sku: BP, reason: 'missing-retail-price' },
      { sku: E3, reason: 'missing-retail-price' },
      { sku: 'M365-E5', reason: 'no-catalog-item' },
    ],
  },
  {
    name: 'no price list entry with retail price off: no policy applies, no warning',
    desired: [aLine(BP, { retailPrice: undefined, quantity: 12 })],
    actual: [anAddition(11, 501, { unitPrice: 17.99 })],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { retailPrice: false, missingRetailPrice: 'fail-line' },
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 12 }] }],
  },
  {
    name: 'suspended account, policy zero: every line of ours to 0, nothing created or adopted, manual lines untouched',
    desired: [aLine(BP, { quantity: 12 }), aLine(E3)],
    actual: [anAddition(11, 501), anAddition(12, 502), anAddition(13, 503)],
    ownership: [{ key: BP, additionId: 11 }],
    accountStatus: 'suspended',
    settings: { suspendedAccounts: 'zero' },
    operations: [{ kind: 'retire', sku: BP, additionId: 11, mode: 'zero', changes: [{ field: 'quantity', before: 10, after: 0 }] }],
    warnings: [{ code: 'account-suspended', sku: undefined, additionIds: [11] }],
  },
  {
    name: 'cancelled account, policy cancel: every line of ours cancelled on the run date (whatever the disappeared-SKU policy)',
    desired: [aLine(BP), aLine(E3)],
    actual: [anAddition(11, 501), anAddition(12, 502)],
    ownership: [{ key: BP, additionId: 11 }, { key: E3, additionId: 12 }],
    accountStatus: 'cancelled',
    settings: { cancelledAccounts: 'cancel', disappearedSku: { mode: 'zero' } },
    operations: [
      { kind: 'retire', sku: BP, additionId: 11, mode: 'cancel', changes: [{ field: 'cancelledDate', before: null, after: RUN_AT }] },
      { kind: 'retire', sku: E3, additionId: 12, mode: 'cancel', changes: [{ field: 'cancelledDate', before: null, after: RUN_AT }] },
    ],
    warnings: [{ code: 'account-cancelled', sku: undefined, additionIds: [11, 12] }],
  },
  {
    name: 'suspended account, policy zero, lines already at 0: nothing to write, still reported',
    desired: [aLine(BP)],
    actual: [anAddition(11, 501, { quantity: 0 })],
    ownership: [{ key: BP, additionId: 11 }],
    accountStatus: 'suspended',
    operations: [],
    warnings: [{ code: 'account-suspended', sku: undefined, additionIds: [] }],
  },
  {
    name: 'suspended account, policy bill: billed as usual, with a warning',
    desired: [aLine(BP, { quantity: 12 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    accountStatus: 'suspended',
    settings: { suspendedAccounts: 'bill' },
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 12 }] }],
    warnings: [{ code: 'account-suspended', sku: undefined, additionIds: [] }],
  },
  {
    name: 'account active again after being zeroed: its lines come back with their quantity',
    desired: [aLine(BP)],
    actual: [anAddition(11, 501, { quantity: 0 })],
    ownership: [{ key: BP, additionId: 11 }],
    accountStatus: 'active',
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: true, changes: [{ field: 'quantity', before: 0, after: 10 }] }],
  },
  {
    name: 'quantity, cost and price all differ: ONE update carrying the three fields',
    desired: [aLine(BP, { quantity: 3, unitCost: 1, retailPrice: 2 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [
      {
        kind: 'update',
        sku: BP,
        additionId: 11,
        reactivates: false,
        changes: [
          { field: 'quantity', before: 10, after: 3 },
          { field: 'unitCost', before: 12.5, after: 1 },
          { field: 'unitPrice', before: 20, after: 2 },
        ],
      },
    ],
  },
  {
    name: 'SKU removed, zero mode: quantity to 0',
    desired: [aLine(E3)],
    actual: [anAddition(11, 501), anAddition(12, 502)],
    ownership: [{ key: BP, additionId: 11 }, { key: E3, additionId: 12 }],
    operations: [{ kind: 'retire', sku: BP, additionId: 11, mode: 'zero', changes: [{ field: 'quantity', before: 10, after: 0 }] }],
  },
  {
    name: 'SKU removed, cancel mode: cancelled on the run date',
    desired: [],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { disappearedSku: { mode: 'cancel' } },
    operations: [{ kind: 'retire', sku: BP, additionId: 11, mode: 'cancel', changes: [{ field: 'cancelledDate', before: null, after: RUN_AT }] }],
  },
  {
    name: 'SKU removed, already at 0: nothing (idempotent)',
    desired: [],
    actual: [anAddition(11, 501, { quantity: 0 })],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [],
  },
  {
    name: 'SKU removed, already cancelled: nothing (idempotent)',
    desired: [],
    actual: [anAddition(11, 501, { cancelledDate: '2024-05-31T00:00:00Z' })],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { disappearedSku: { mode: 'cancel' } },
    operations: [],
  },
  {
    name: 'SKU back after cancel: the same addition is reactivated, no second addition',
    desired: [aLine(BP, { quantity: 4 })],
    actual: [anAddition(11, 501, { cancelledDate: '2024-05-31T00:00:00Z' })],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [reactivatedBP],
  },
  {
    name: 'SKU back after cancel with quantity off: reactivation still writes the quantity',
    desired: [aLine(BP, { quantity: 4 })],
    actual: [anAddition(11, 501, { cancelledDate: '2024-05-31T00:00:00Z' })],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { quantity: false },
    operations: [reactivatedBP],
  },
  {
    name: 'SKU back after zeroing with quantity off: the quantity comes back',
    desired: [aLine(BP, { quantity: 4 })],
    actual: [anAddition(11, 501, { quantity: 0 })],
    ownership: [{ key: BP, additionId: 11 }],
    settings: { quantity: false },
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: true, changes: [{ field: 'quantity', before: 0, after: 4 }] }],
  },
  {
    name: 'ownership record lost, product on the agreement: adopted, not duplicated',
    desired: [aLine(BP)],
    actual: [anAddition(11, 501)],
    operations: [{ kind: 'adopt', sku: BP, additionId: 11 }],
  },
  {
    name: 'ownership record lost and quantity differs: adopt, then one update',
    desired: [aLine(BP, { quantity: 12 })],
    actual: [anAddition(11, 501)],
    operations: [
      { kind: 'adopt', sku: BP, additionId: 11 },
      { kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 12 }] },
    ],
  },
  {
    name: 'two live additions with the product and no record: the lowest id is adopted, with a warning',
    desired: [aLine(BP)],
    actual: [anAddition(31, 501), anAddition(17, 501), anAddition(5, 501, { cancelledDate: '2023-01-01T00:00:00Z' })],
    operations: [{ kind: 'adopt', sku: BP, additionId: 17 }],
    warnings: [{ code: 'ambiguous-additions', sku: BP, additionIds: [17, 31] }],
  },
  {
    name: 'only a cancelled addition with the product and no record: adopted and reactivated, not duplicated',
    desired: [aLine(BP)],
    actual: [anAddition(9, 501, { cancelledDate: '2023-01-01T00:00:00Z' })],
    operations: [
      { kind: 'adopt', sku: BP, additionId: 9 },
      { kind: 'update', sku: BP, additionId: 9, reactivates: true, changes: [{ field: 'cancelledDate', before: '2023-01-01T00:00:00Z', after: null }] },
    ],
  },
  {
    name: 'a manual line for a product we no longer sell: never touched',
    desired: [],
    actual: [anAddition(40, 501), anAddition(41, 777)],
    operations: [],
  },
  {
    name: 'a manual second line beside ours: never touched',
    desired: [aLine(BP, { quantity: 12 })],
    actual: [anAddition(11, 501), anAddition(40, 501, { quantity: 99, unitPrice: 1 })],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 12 }] }],
  },
  {
    name: 'no catalog item for the SKU: skipped, and its owned addition is not retired',
    desired: [aLine('NO-ITEM')],
    actual: [anAddition(11, 600)],
    ownership: [{ key: 'NO-ITEM', additionId: 11 }],
    operations: [],
    skipped: [{ sku: 'NO-ITEM', reason: 'no-catalog-item' }],
  },
  {
    name: 'our addition was deleted in ConnectWise: not re-created, reported',
    desired: [aLine(BP)],
    actual: [],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [],
    skipped: [{ sku: BP, reason: 'owned-addition-missing' }],
  },
  {
    name: 'our addition was deleted and another holds the product: that one is adopted in its place',
    desired: [aLine(BP)],
    actual: [anAddition(44, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [{ kind: 'adopt', sku: BP, additionId: 44, replacesAdditionId: 11 }],
  },
  {
    name: 'our addition now holds another product: left alone, reported',
    desired: [aLine(BP, { quantity: 3 })],
    actual: [anAddition(11, 999)],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [],
    skipped: [{ sku: BP, reason: 'owned-addition-product-changed' }],
  },
  {
    name: 'our E3 line was re-pointed to the BP product: BP adopts it, E3 is reported, nothing is created',
    desired: [aLine(BP), aLine(E3)],
    actual: [anAddition(11, 501)],
    ownership: [{ key: E3, additionId: 11 }],
    operations: [{ kind: 'adopt', sku: BP, additionId: 11 }],
    skipped: [{ sku: E3, reason: 'owned-addition-product-changed' }],
  },
  {
    name: 'the product is only on a line we keep for another SKU: not duplicated, reported',
    desired: [aLine(BP)],
    actual: [anAddition(11, 501, { quantity: 0 })],
    ownership: [{ key: 'RETIRED-SKU', additionId: 11 }],
    operations: [],
    skipped: [{ sku: BP, reason: 'product-held-by-another-sku' }],
  },
  {
    name: 'desired quantity 0 and no addition: nothing is created',
    desired: [aLine(BP, { quantity: 0 })],
    operations: [],
    skipped: [{ sku: BP, reason: 'zero-quantity' }],
  },
  {
    name: 'the same SKU twice with one price: quantities add up',
    desired: [aLine(BP, { quantity: 3 }), aLine(BP, { quantity: 4 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [{ kind: 'update', sku: BP, additionId: 11, reactivates: false, changes: [{ field: 'quantity', before: 10, after: 7 }] }],
  },
  {
    name: 'the same SKU twice with different costs: skipped, its addition not retired',
    desired: [aLine(BP, { unitCost: 1 }), aLine(BP, { unitCost: 2 })],
    actual: [anAddition(11, 501)],
    ownership: [{ key: BP, additionId: 11 }],
    operations: [],
    skipped: [{ sku: BP, reason: 'conflicting-desired-lines' }],
  },
  {
    name: 'a negative quantity: skipped',
    desired: [aLine(BP, { quantity: -1 })],
    operations: [],
    skipped: [{ sku: BP, reason: 'invalid-desired' }],
  },
  {
    name: 'two SKUs\' records point at one addition: the first SKU keeps it, the other is warned about and does not retire it',
    desired: [aLine(BP)],
    actual: [anAddition(11, 501)],
    ownership: [{ key: 'OLD-SKU', additionId: 11 }, { key: BP, additionId: 11 }],
    operations: [],
    warnings: [{ code: 'shared-ownership', sku: 'OLD-SKU', additionIds: [11] }],
  },
];

function plan(scenario: Pick<Scenario, 'desired' | 'actual' | 'ownership' | 'settings' | 'accountStatus'>) {
  return planAccount({
    accountStatus: scenario.accountStatus,
    desired: scenario.desired,
    catalog,
    actual: scenario.actual ?? [],
    ownership: scenario.ownership ?? [],
    settings: someSettings(scenario.settings),
    runDate: RUN_DATE,
  });
}

describe('planAccount', () => {
  it.each(scenarios)('$name', (scenario) => {
    const result = plan(scenario);

    expect(result.operations).toEqual(scenario.operations.map(withKey));
    expect(result.skipped.map(({ sku, reason }) => ({ sku, reason }))).toEqual(scenario.skipped ?? []);
    expect(result.warnings.map(({ code, sku, additionIds }) => ({ code, sku, additionIds }))).toEqual(scenario.warnings ?? []);
    const writes = scenario.operations.filter((op) => op.kind !== 'adopt').length;
    expect(result.writes).toBe(writes);
    expect(result.summary.status).toBe(writes > 0 ? 'changed' : 'unchanged');
  });

  it.each(scenarios)('applying the plan, then planning again, makes zero writes and no adoption: $name', (scenario) => {
    const first = plan(scenario);
    const after = applyPlan(scenario.actual ?? [], scenario.ownership ?? [], first);

    const second = plan({ ...scenario, ...after });

    expect(second.operations).toEqual([]);
    expect(second.writes).toBe(0);
    expect(second.summary.status).toBe('unchanged');
  });

  it.each(scenarios)('never writes to an addition it neither owns nor adopts: $name', (scenario) => {
    const result = plan(scenario);
    const ours = new Set([
      ...(scenario.ownership ?? []).map((o) => o.additionId),
      ...result.operations.flatMap((op) => (op.kind === 'adopt' ? [op.additionId] : [])),
    ]);

    for (const op of result.operations) {
      if (op.kind === 'update' || op.kind === 'retire') expect(ours).toContain(op.additionId);
    }
  });

  it.each(scenarios)('never creates a second addition for a product already on the agreement: $name', (scenario) => {
    const onAgreement = new Set((scenario.actual ?? []).map((a) => a.productId));

    const creates = plan(scenario).operations.filter((op) => op.kind === 'create');

    for (const op of creates) expect(onAgreement.has(op.productId)).toBe(false);
  });

  it.each([
    { label: 'same amount', stored: 12.5, desired: 12.5, writes: 0 },
    { label: 'same at four decimals (float noise)', stored: 0.3, desired: 0.1 + 0.2, writes: 0 },
    { label: 'same at four decimals (a fifth decimal we never send)', stored: 12.5, desired: 12.50004, writes: 0 },
    { label: 'a tenth of a cent higher', stored: 12.5, desired: 12.501, writes: 1 },
    { label: 'four-decimal unit price raised 9 % (0.0443 → 0.0483)', stored: 0.0443, desired: 0.0483, writes: 1 },
    { label: 'cost change 0.0516 → 0.0566', stored: 0.0516, desired: 0.0566, writes: 1 },
    { label: 'one ten-thousandth apart', stored: 0.0443, desired: 0.0444, writes: 1 },
    { label: 'one cent apart', stored: 12.5, desired: 12.51, writes: 1 },
    { label: 'one cent apart, lower', stored: 12.5, desired: 12.49, writes: 1 },
    { label: 'no cost in ConnectWise', stored: null, desired: 12.5, writes: 1 },
  ])('money compared at four decimals on unit cost: $label → $writes write(s)', ({ stored, desired, writes }) => {
    const result = plan({
      desired: [aLine(BP, { unitCost: desired })],
      actual: [anAddition(11, 501, { unitCost: stored })],
      ownership: [{ key: BP, additionId: 11 }],
    });

    expect(result.writes).toBe(writes);
  });

  it('writes a sub-cent cost and price change on a fractional quantity, and nothing on the next run', () => {
    const input = {
      desired: [aLine(BP, { quantity: 114.5, unitCost: 0.0566, retailPrice: 0.0483 })],
      actual: [anAddition(11, 501, { quantity: 114.5, unitCost: 0.0516, unitPrice: 0.0443 })],
      ownership: [{ key: BP, additionId: 11 }],
    };
    const first = plan(input);

    expect(first.operations).toEqual([
      {
        kind: 'update',
        sku: BP,
        key: 'item:501:monthly',
        record: BP,
        additionId: 11,
        reactivates: false,
        changes: [
          { field: 'unitCost', before: 0.0516, after: 0.0566 },
          { field: 'unitPrice', before: 0.0443, after: 0.0483 },
        ],
      },
    ]);
    expect(plan({ ...input, ...applyPlan(input.actual, input.ownership, first) }).operations).toEqual([]);
  });

  it.each([
    { label: 'a fraction', stored: 10, desired: 10.5, writes: 1 },
    { label: 'a tiny fraction', stored: 10, desired: 10.001, writes: 1 },
    { label: 'equal', stored: 10, desired: 10, writes: 0 },
    { label: 'missing in ConnectWise', stored: null, desired: 10, writes: 1 },
  ])('quantities are compared exactly: $label → $writes write(s)', ({ stored, desired, writes }) => {
    const result = plan({
      desired: [aLine(BP, { quantity: desired })],
      actual: [anAddition(11, 501, { quantity: stored })],
      ownership: [{ key: BP, additionId: 11 }],
    });

    expect(result.writes).toBe(writes);
  });

  it('sends money without float noise', () => {
    const result = plan({ desired: [aLine(BP, { unitCost: 0.1 + 0.2, retailPrice: 1.005 * 3 })] });

    expect(result.operations).toEqual([expect.objectContaining({ kind: 'create', unitCost: 0.3, unitPrice: 3.015 })]);
  });

  it('gives the same plan whatever order the inputs arrive in', () => {
    const input = {
      desired: [aLine(E3, { quantity: 2 }), aLine(BP), aLine('NO-ITEM')],
      actual: [anAddition(12, 502), anAddition(31, 501), anAddition(17, 501), anAddition(50, 503)],
      ownership: [{ key: E3, additionId: 12 }, { key: 'GONE', additionId: 50 }],
    };
    const reversed = {
      desired: [...input.desired].reverse(),
      actual: [...input.actual].reverse(),
      ownership: [...input.ownership].reverse(),
    };

    expect(plan(reversed)).toEqual(plan(input));
    expect(plan(input).operations.map((op) => `${op.kind}:${op.sku}`)).toEqual(['retire:GONE', 'adopt:M365-BP', 'update:M365-E3']);
  });

  it('summarises what it will do', () => {
    const result = plan({
      desired: [aLine(BP, { quantity: 12 }), aLine(E3), aLine('NO-ITEM')],
      actual: [anAddition(11, 501), anAddition(12, 502), anAddition(13, 503)],
      ownership: [{ key: BP, additionId: 11 }, { key: 'GONE', additionId: 13 }],
    });

    expect(result.summary).toEqual({
      status: 'changed',
      writes: 2,
      creates: 0,
      updates: 1,
      retires: 1,
      adopts: 1,
      unchanged: 1,
      skipped: 1,
      warnings: 0,
    });
    expect(result.unchanged).toEqual([E3]);
  });

  it.each(['2024-02-30', '2024-6-30', '30/06/2024', '2024-06-30T00:00:00Z', ''])('refuses the run date %p', (runDate) => {
    const call = () => planAccount({ desired: [], catalog, actual: [], ownership: [], settings: someSettings(), runDate });

    expect(call).toThrow(DomainError);
    expect(call).toThrow(expect.objectContaining({ code: DomainErrorCode.InvalidRunDate }));
  });

  it.each([
    ['2024-06-30', '2024-06-30T00:00:00Z'],
    ['2024-02-29', '2024-02-29T00:00:00Z'],
  ])('turns the run date %s into the ConnectWise date-time %s', (runDate, expected) => {
    expect(toConnectWiseDateTime(runDate)).toBe(expected);
  });
});
