import { roundMoney, roundQuantity, roundTo, sumPlanLines, toPlatformUsers } from './normalize';

describe('money and quantity rounding', () => {
  it.each([
    [1.00005, 1.0001],
    [-1.00005, -1.0001],
    [0.12345, 0.1235],
    [2.675, 2.675],
    [19.99999, 20],
    [-0.00001, 0],
  ])('roundMoney(%p) = %p (half away from zero, 4 decimals)', (input, expected) => {
    expect(roundMoney(input)).toBe(expected);
  });

  it('rounds quantities to 2 decimals and never returns -0', () => {
    expect(roundQuantity(250.555)).toBe(250.56);
    expect(Object.is(roundTo(-0.0001, 2), 0)).toBe(true);
  });
});

describe('sumPlanLines', () => {
  it('weights the unit cost by quantity so the total paid is unchanged', () => {
    const [line] = sumPlanLines([
      { planId: 'a', sku: 'S', quantity: 3, unitCost: 10 },
      { planId: 'b', sku: 'S', quantity: 1, unitCost: 6.01 },
    ]);
    expect(line).toEqual({ sku: 'S', quantity: 4, unitCost: 9.0025 });
  });

  it('keeps the first cost when every line has quantity 0, and sorts by SKU code units', () => {
    expect(
      sumPlanLines([
        { planId: 'a', sku: 'b', quantity: 0, unitCost: 2 },
        { planId: 'b', sku: 'b', quantity: 0, unitCost: 3 },
        { planId: 'a', sku: 'B', quantity: 1, unitCost: 1 },
      ]),
    ).toEqual([
      { sku: 'B', quantity: 1, unitCost: 1 },
      { sku: 'b', quantity: 0, unitCost: 2 },
    ]);
  });
});

describe('toPlatformUsers', () => {
  it('keeps enabled services once, in first-seen order', () => {
    const [user] = toPlatformUsers([
      {
        id: 'u',
        email: 'u@x.example',
        displayName: 'U',
        services: [
          { name: 'Teams', enabled: true },
          { name: 'Mail', enabled: false },
          { name: 'Drive', enabled: true },
          { name: 'Teams', enabled: true },
        ],
      },
    ]);
    expect(user.services).toEqual(['Teams', 'Drive']);
  });
});
