import type { ActualAddition, DesiredAddition, OwnershipRecord } from './account-types';
import { planAccount } from './account-plan';
import { type BillingControl, type BillingUser, DEFAULT_BILLING_CONTROL, lineKey, parseLineKey, roundHalfAway, validatePriceRule } from './billing';
import { billableUsers } from './billing-lines';
import { DomainError } from './errors';
import type { ExportSettings } from './settings';
import { aLine, anAddition, applyPlan, someSettings } from './testing/builders';

const RUN_DATE = '2024-06-30';
const RUN_AT = '2024-06-30T00:00:00Z';
/** The SKUs' own items (the catalog phase's); 900 and 901 are the MSP's own catalog items. */
const catalog = new Map([
  ['BP', 501],
  ['E3', 502],
  ['ARCH', 503],
]);
const MSP_SEAT = 900;

function billing(overrides: Partial<BillingControl> = {}): BillingControl {
  return {
    ...DEFAULT_BILLING_CONTROL,
    ...overrides,
    account: { ...DEFAULT_BILLING_CONTROL.account, ...overrides.account },
  };
}

interface Input {
  desired: DesiredAddition[];
  actual?: ActualAddition[];
  ownership?: OwnershipRecord[];
  settings?: Partial<ExportSettings>;
  billing?: BillingControl;
  users?: BillingUser[];
}

function plan(input: Input) {
  return planAccount({
    desired: input.desired,
    catalog,
    actual: input.actual ?? [],
    ownership: input.ownership ?? [],
    settings: someSettings(input.settings),
    runDate: RUN_DATE,
    billing: input.billing,
    users: input.users,
  });
}

/** Plans, applies, plans again: the second plan must write nothing. Returns the first plan and the state after it. */
function runTwice(input: Input) {
  const first = plan(input);
  const after = applyPlan(input.actual ?? [], input.ownership ?? [], first);
  const second = plan({ ...input, ...after });
  expect(second.operations).toEqual([]);
  return { first, after };
}

const summary = (p: ReturnType<typeof plan>) =>
  p.operations.map((op) => {
    switch (op.kind) {
      case 'create':
        return `create ${op.key} q=${op.quantity}${op.unitPrice === undefined ? '' : ` p=${op.unitPrice}`}${op.lessIncluded === undefined ? '' : ` incl=${op.lessIncluded}`}`;
      case 'adopt':
        return `adopt ${op.key} #${op.additionId}`;
      case 'update':
        return `update ${op.key} #${op.additionId} ${op.changes.map((c) => `${c.field}=${String(c.after)}`).join(',')}`;
      case 'retire':
        return `retire ${op.key} #${op.additionId} ${op.mode}`;
    }
  });

describe('product mapping', () => {
  it.each<{ name: string; input: Input; ops: string[]; skipped?: string[] }>([
    {
      name: 'unmapped SKU, default "create it": the SKU\'s own item',
      input: { desired: [aLine('BP')], billing: billing() },
      ops: ['create item:501:monthly q=10 p=20'],
    },
    {
      name: 'unmapped SKU, partner holds unmapped SKUs: nothing created, reported',
      input: { desired: [aLine('BP')], billing: billing({ unmapped: 'hold' }) },
      ops: [],
      skipped: ['BP:held-until-mapped'],
    },
    {
      name: 'SKU mapped onto an existing catalog item: its line is on that item',
      input: { desired: [aLine('BP')], billing: billing({ products: [{ sku: 'BP', action: { kind: 'item', catalogItemId: MSP_SEAT } }] }) },
      ops: [`create item:${MSP_SEAT}:monthly q=10 p=20`],
    },
    {
      name: 'mapped SKU with a hand-made line of that item on the agreement: the line is adopted, not duplicated',
      input: {
        desired: [aLine('BP', { quantity: 12 })],
        actual: [anAddition(70, MSP_SEAT, { quantity: 9, unitPrice: 25 })],
        billing: billing({ products: [{ sku: 'BP', action: { kind: 'item', catalogItemId: MSP_SEAT } }] }),
        settings: { retailPrice: false, cost: false },
      },
      ops: [`adopt item:${MSP_SEAT}:monthly #70`, `update item:${MSP_SEAT}:monthly #70 quantity=12`],
    },
    {
      name: '"do not bill": nothing created, and the line it had retires',
      input: {
        desired: [aLine('BP')],
        actual: [anAddition(11, 501)],
        ownership: [{ key: 'BP', additionId: 11 }],
        billing: billing({ products: [{ sku: 'BP', action: { kind: 'do-not-bill' } }] }),
      },
      ops: ['retire item:501:monthly #11 zero'],
      skipped: ['BP:do-not-bill'],
    },
  ])('$name', ({ input, ops, skipped }) => {
    const first = plan(input);
    expect(summary(first)).toEqual(ops);
    expect(first.skipped.filter((s) => s.reason !== 'zero-quantity').map((s) => `${s.sku}:${s.reason}`)).toEqual(skipped ?? []);
    runTwice(input);
  });

  it('a mapping change moves the line at the next run: the old item\'s line retires, the new one is created, never both live twice', () => {
    const before: Input = { desired: [aLine('BP')], billing: billing() };
    const { after } = runTwice(before);
    expect(after.actual).toHaveLength(1);

    const remapped: Input = { ...before, ...after, billing: billing({ products: [{ sku: 'BP', action: { kind: 'item', catalogItemId: MSP_SEAT } }] }) };
    const move = plan(remapped);
    expect(summary(move)).toEqual(['retire item:501:monthly #1000 zero', `create item:${MSP_SEAT}:monthly q=10 p=20`]);
    const moved = runTwice(remapped).after;
    const live = moved.actual.filter((a) => !a.cancelledDate && (a.quantity ?? 0) > 0);
    expect(live.map((a) => a.productId)).toEqual([MSP_SEAT]);

    // Mapped back: the old line comes back (reactivated), the MSP item's line retires: still one live line.
    const back = runTwice({ ...remapped, ...moved, billing: billing() });
    expect(summary(back.first)).toEqual(['update item:501:monthly #1000 quantity=10', `retire item:${MSP_SEAT}:monthly #2000 zero`]);
    expect(back.after.actual).toHaveLength(2);
  });

  it('a mapping change in cancel mode cancels the old line on the run date', () => {
    const input: Input = {
      desired: [aLine('BP')],
      actual: [anAddition(11, 501)],
      ownership: [{ key: 'item:501:monthly', additionId: 11 }],
      settings: { disappearedSku: { mode: 'cancel' } },
      billing: billing({ products: [{ sku: 'BP', action: { kind: 'item', catalogItemId: MSP_SEAT } }] }),
    };
    const first = plan(input);
    expect(first.operations.find((op) => op.kind === 'retire')).toMatchObject({ additionId: 11, mode: 'cancel', changes: [{ field: 'cancelledDate', after: RUN_AT }] });
  });
});

describe('bundles', () => {
  const onSeat = (...skus: string[]) => skus.map((sku) => ({ sku, action: { kind: 'item' as const, catalogItemId: MSP_SEAT } }));
  const users: BillingUser[] = [
    { id: 'u1', skus: ['BP', 'ARCH'] },
    { id: 'u2', skus: ['BP'] },
    { id: 'u3', skus: ['ARCH'] },
    { id: 'u4', skus: ['E3'] },
  ];

  it('several SKUs on one item are ONE line whose quantity is the sum', () => {
    const input: Input = { desired: [aLine('BP', { quantity: 2 }), aLine('ARCH', { quantity: 2, unitCost: 3, retailPrice: 5 })], billing: billing({ products: onSeat('BP', 'ARCH') }) };
    const first = plan(input);
    expect(summary(first)).toEqual([`create item:${MSP_SEAT}:monthly q=4 p=12.5`]);
    expect(first.lines[0]).toMatchObject({ sku: 'ARCH + BP', skus: ['ARCH', 'BP'] });
    runTwice(input);
  });

  it('a bundle counting distinct users: a user holding two of its SKUs counts once', () => {
    const input: Input = {
      desired: [aLine('BP', { quantity: 2 }), aLine('ARCH', { quantity: 2, retailPrice: 20 })],
      billing: billing({ products: onSeat('BP', 'ARCH'), bundles: [{ catalogItemId: MSP_SEAT, quantity: 'distinct-users' }] }),
      users,
    };
    const first = plan(input);
    // u1 (BP and ARCH), u2 (BP), u3 (ARCH): 3 users, each billed once at the SKUs' (unit-weighted) price.
    expect(first.lines[0]).toMatchObject({ quantity: 3, unitPrice: 20 });
    runTwice(input);
  });

  it('distinct users without the users\' SKUs: the sum, with a warning', () => {
    const first = plan({
      desired: [aLine('BP', { quantity: 2 }), aLine('ARCH', { quantity: 2 })],
      billing: billing({ products: onSeat('BP', 'ARCH'), bundles: [{ catalogItemId: MSP_SEAT, quantity: 'distinct-users' }] }),
      users: [{ id: 'u1' }],
    });
    expect(first.lines[0].quantity).toBe(4);
    expect(first.warnings.map((w) => w.code)).toContain('bundle-users-unknown');
  });

  it('a bundle gaining a member: the same line\'s quantity grows, the member\'s own line retires, nothing is duplicated', () => {
    const start: Input = { desired: [aLine('BP', { quantity: 2 }), aLine('ARCH', { quantity: 3 })], billing: billing({ products: onSeat('BP') }) };
    const { after } = runTwice(start);
    const grown: Input = { ...start, ...after, billing: billing({ products: onSeat('BP', 'ARCH') }) };
    const first = plan(grown);
    expect(summary(first)).toEqual(['retire item:503:monthly #1000 zero', `update item:${MSP_SEAT}:monthly #1001 quantity=5`]);
    const grownAfter = runTwice(grown).after;
    expect(grownAfter.actual.filter((a) => a.productId === MSP_SEAT)).toHaveLength(1);
  });
});

describe('price rules', () => {
  const mapped = (price: BillingControl['products'][number]['price']) => billing({ products: [{ sku: 'BP', action: { kind: 'create' }, ...(price ? { price } : {}) }] });

  it.each<{ name: string; settings?: Partial<ExportSettings>; billing: BillingControl; price: number | undefined; rule: RegExp }>([
    { name: 'default with retail price export on: the platform\'s retail price', billing: billing(), price: 20, rule: /platform retail price \(default\)/ },
    { name: 'default with retail price export off: no price written', settings: { retailPrice: false }, billing: billing(), price: undefined, rule: /no price written/ },
    { name: 'explicit platform retail writes it even with retail price export off', settings: { retailPrice: false }, billing: mapped({ kind: 'platform-retail' }), price: 20, rule: /platform retail/ },
    { name: "the catalog item's own price: no price written", billing: mapped({ kind: 'catalog' }), price: undefined, rule: /catalog item's own price/ },
    { name: 'cost + 33% rounded to cents, half away from zero', billing: mapped({ kind: 'markup', percent: 33 }), price: 16.63, rule: /cost \+ 33%.*2 decimals.*12\.5 → 16\.63/ },
    { name: 'cost + 10% rounded to whole units', billing: mapped({ kind: 'markup', percent: 10, decimals: 0 }), price: 14, rule: /0 decimals/ },
    { name: 'a fixed price', billing: mapped({ kind: 'fixed', amount: 17.5 }), price: 17.5, rule: /fixed 17.5/ },
    {
      name: 'a per-account override wins over the mapping\'s rule',
      billing: { ...mapped({ kind: 'fixed', amount: 17.5 }), account: { ...DEFAULT_BILLING_CONTROL.account, prices: [{ sku: 'BP', price: { kind: 'markup', percent: 100 } }] } },
      price: 25,
      rule: /cost \+ 100%/,
    },
  ])('$name', ({ settings, billing: control, price, rule }) => {
    const input: Input = { desired: [aLine('BP')], billing: control, settings };
    const first = plan(input);
    const create = first.operations[0];
    expect(create).toMatchObject({ kind: 'create' });
    expect(create?.kind === 'create' ? create.unitPrice : 'no create').toBe(price);
    expect(first.lines[0].priceRule).toMatch(rule);
    runTwice(input);
  });

  it('a manual price is never overwritten by default (retail price export off) nor by the "catalog" rule', () => {
    for (const control of [billing(), mapped({ kind: 'catalog' })]) {
      const first = plan({ desired: [aLine('BP')], actual: [anAddition(11, 501, { unitPrice: 99 })], ownership: [{ key: 'BP', additionId: 11 }], settings: { retailPrice: false }, billing: control });
      expect(first.operations).toEqual([]);
    }
  });

  it('a price rule change writes the new price once, and nothing on the run after', () => {
    const start: Input = { desired: [aLine('BP')], billing: mapped({ kind: 'fixed', amount: 17.5 }) };
    const { after } = runTwice(start);
    const changed: Input = { ...start, ...after, billing: mapped({ kind: 'markup', percent: 20 }) };
    expect(summary(plan(changed))).toEqual(['update item:501:monthly #1000 unitPrice=15']);
    runTwice(changed);
  });

  it('rounds half away from zero without binary noise', () => {
    expect(roundHalfAway(1.005, 2)).toBe(1.01);
    expect(roundHalfAway(-1.005, 2)).toBe(-1.01);
    expect(roundHalfAway(16.625, 2)).toBe(16.63);
    expect(roundHalfAway(13.75, 0)).toBe(14);
  });

  it.each([
    { kind: 'markup' as const, percent: Number.NaN },
    { kind: 'markup' as const, percent: 10, decimals: 5 },
    { kind: 'fixed' as const, amount: -1 },
  ])('refuses %p', (rule) => {
    expect(() => validatePriceRule(rule)).toThrow(DomainError);
  });
});

describe('exclusions', () => {
  const users: BillingUser[] = [
    { id: 'u1', skus: ['BP'] },
    { id: 'u2', skus: ['BP', 'E3'] },
    { id: 'u3', skus: ['E3'] },
  ];

  it('an excluded user\'s units leave the quantity, the log says why, and the users CSV leaves them out', () => {
    const control = billing({ account: { ...DEFAULT_BILLING_CONTROL.account, exclusions: [{ userId: 'u2', reason: 'paid by head office' }] } });
    const first = plan({ desired: [aLine('BP', { quantity: 2 }), aLine('E3', { quantity: 2 })], billing: control, users });
    expect(first.lines.map((l) => `${l.sku}=${l.quantity}`)).toEqual(['BP=1', 'E3=1']);
    expect(first.warnings.filter((w) => w.code === 'excluded').map((w) => w.message).join(' ')).toMatch(/u2 \(paid by head office\)/);
    expect(billableUsers(users, control)).toEqual({ users: [users[0], users[2]], left: [{ id: 'u2', reason: 'paid by head office' }] });
  });

  it('an account+SKU exclusion bills 0 of it; removing it brings the quantity back on the same line', () => {
    const excluded = billing({ account: { ...DEFAULT_BILLING_CONTROL.account, exclusions: [{ sku: 'BP', reason: 'bundled in the support contract' }] } });
    const start: Input = { desired: [aLine('BP', { quantity: 4 })], actual: [anAddition(11, 501, { quantity: 4 })], ownership: [{ key: 'BP', additionId: 11 }], billing: excluded };
    expect(summary(plan(start))).toEqual(['update item:501:monthly #11 quantity=0']);
    const { after } = runTwice(start);
    const lifted: Input = { ...start, ...after, billing: billing() };
    expect(summary(plan(lifted))).toEqual(['update item:501:monthly #11 quantity=4']);
    runTwice(lifted);
    // A first export with the SKU excluded creates nothing.
    expect(plan({ desired: [aLine('BP')], billing: excluded }).operations).toEqual([]);
  });
});

describe('terms', () => {
  it('monthly and annual of one SKU are two lines of one item, never summed, and the annual one says its term', () => {
    const input: Input = { desired: [aLine('BP', { quantity: 3 }), aLine('BP', { quantity: 5, term: 'annual' })], billing: billing() };
    const first = plan(input);
    expect(summary(first)).toEqual(['create item:501:monthly q=3 p=20', 'create item:501:annual q=5 p=20']);
    expect(first.operations[1]).toMatchObject({ sku: 'BP (annual)', invoiceDescription: 'BP (annual term)' });
    runTwice(input);
  });

  it('an annual line does not adopt a hand-made (monthly) line of the product; the monthly term does', () => {
    const input: Input = { desired: [aLine('BP', { term: 'annual' })], actual: [anAddition(40, 501)], billing: billing() };
    expect(summary(plan(input))).toEqual(['create item:501:annual q=10 p=20']);
    runTwice(input);
  });

  it('a term of its own can be mapped onto another item', () => {
    const control = billing({ products: [{ sku: 'BP', term: 'annual', action: { kind: 'item', catalogItemId: MSP_SEAT } }] });
    const first = plan({ desired: [aLine('BP', { quantity: 3 }), aLine('BP', { quantity: 5, term: 'annual' })], billing: control });
    expect(first.lines.map((l) => l.key)).toEqual(['item:501:monthly', `item:${MSP_SEAT}:annual`]);
  });
});

describe('included quantity', () => {
  it("is written as ConnectWise's lessIncluded; the quantity stays the full one", () => {
    const control = billing({ account: { ...DEFAULT_BILLING_CONTROL.account, included: [{ sku: 'BP', quantity: 5 }] } });
    const input: Input = { desired: [aLine('BP', { quantity: 12 })], actual: [anAddition(11, 501, { quantity: 12 })], ownership: [{ key: 'BP', additionId: 11 }], billing: control };
    expect(summary(plan(input))).toEqual(['update item:501:monthly #11 lessIncluded=5']);
    runTwice(input);
    expect(summary(plan({ desired: [aLine('BP', { quantity: 12 })], billing: control }))).toEqual(['create item:501:monthly q=12 p=20 incl=5']);
  });
});

describe('line keys', () => {
  it('round-trip and refuse anything else', () => {
    expect(parseLineKey(lineKey(42, 'annual'))).toEqual({ catalogItemId: 42, term: 'annual' });
    expect(parseLineKey('MS-M365-BP')).toBeUndefined();
    expect(parseLineKey('item:1:weekly')).toBeUndefined();
  });
});
