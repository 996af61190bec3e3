import { createBody, describeOperation, patchOperations, toActualAdditions } from './additions';

describe('addition writes', () => {
  it('one PATCH body with only the changed fields; a cleared cancelledDate is a remove', () => {
    expect(
      patchOperations([
        { field: 'cancelledDate', before: '2026-01-01T00:00:00Z', after: null },
        { field: 'quantity', before: 0, after: 12 },
        { field: 'unitCost', before: 1, after: 2.5 },
        { field: 'unitPrice', before: null, after: 3 },
      ]),
    ).toEqual([
      { op: 'remove', path: 'cancelledDate' },
      { op: 'replace', path: 'quantity', value: 12 },
      { op: 'replace', path: 'unitCost', value: 2.5 },
      { op: 'replace', path: 'unitPrice', value: 3 },
    ]);
    expect(patchOperations([{ field: 'cancelledDate', before: null, after: '2026-03-01T00:00:00Z' }])).toEqual([
      { op: 'replace', path: 'cancelledDate', value: '2026-03-01T00:00:00Z' },
    ]);
  });

  it('a create sends cost and price only when the plan carries them', () => {
    const base = { kind: 'create', sku: 'A', key: 'item:7:monthly', record: 'A', productId: 7, quantity: 3, billCustomer: 'Billable', effectiveDate: '2026-03-01T00:00:00Z' } as const;
    expect(createBody(base)).toEqual({ product: { id: 7 }, quantity: 3, billCustomer: 'Billable', effectiveDate: '2026-03-01T00:00:00Z' });
    expect(createBody({ ...base, unitCost: 1.5, unitPrice: 2 })).toMatchObject({ unitCost: 1.5, unitPrice: 2 });
    expect(describeOperation({ ...base, unitCost: 1.5 })).toEqual({
      entity: 'addition',
      action: 'create',
      id: null,
      sku: 'A',
      changes: [
        { field: 'product', before: null, after: 7 },
        { field: 'quantity', before: null, after: 3 },
        { field: 'unitCost', before: null, after: 1.5 },
        { field: 'effectiveDate', before: null, after: '2026-03-01T00:00:00Z' },
      ],
    });
  });

  it('a create sends the included units and the term\'s invoice description when the plan carries them', () => {
    const base = { kind: 'create', sku: 'A (annual)', key: 'item:7:annual', record: 'item:7:annual', productId: 7, quantity: 3, billCustomer: 'Billable', effectiveDate: '2026-03-01T00:00:00Z' } as const;
    expect(createBody({ ...base, lessIncluded: 2, invoiceDescription: 'A (annual term)' })).toMatchObject({ lessIncluded: 2, invoiceDescription: 'A (annual term)' });
    expect(patchOperations([{ field: 'lessIncluded', before: 0, after: 2 }])).toEqual([{ op: 'replace', path: 'lessIncluded', value: 2 }]);
    expect(describeOperation({ ...base, lessIncluded: 2 }, 'cost + 20%')).toMatchObject({ priceRule: 'cost + 20%' });
  });

  it('an adoption records which stale claim it replaces', () => {
    expect(describeOperation({ kind: 'adopt', sku: 'A', key: 'item:7:monthly', record: 'A', additionId: 9, replacesAdditionId: 4 })).toMatchObject({
      action: 'adopt',
      id: 9,
      changes: [{ field: 'ownedAdditionId', before: 4, after: 9 }],
    });
  });

  it('reads additions, leaving out those without an id or a product', () => {
    expect(
      toActualAdditions([
        { id: 1, product: { id: 5, identifier: 'A' }, quantity: 2, unitCost: 1, billCustomer: 'Billable' },
        { id: 2, billCustomer: 'Billable' },
        { product: { id: 5 }, billCustomer: 'Billable' },
      ]),
    ).toEqual([{ id: 1, productId: 5, productIdentifier: 'A', quantity: 2, unitCost: 1, unitPrice: null, cancelledDate: null, effectiveDate: null, lessIncluded: null, invoiceDescription: null }]);
  });
});
