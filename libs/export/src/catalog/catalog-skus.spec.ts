import { catalogProducts, mapLimited } from './catalog-skus';

const catalogue = [
  { sku: 'A', name: 'Alpha seat', description: 'Alpha, per user per month' },
  { sku: 'B', name: 'Beta storage' },
];
const prices = { currency: 'EUR', prices: [{ sku: 'A', price: 12.5 }, { sku: 'Z', price: 1 }] };

describe('catalogProducts', () => {
  it.each([
    ['most common cost wins', [[{ sku: 'A', quantity: 1, unitCost: 10 }], [{ sku: 'A', quantity: 5, unitCost: 9 }], [{ sku: 'A', quantity: 1, unitCost: 10 }]], 10],
    ['one vote per account, whatever the quantity', [[{ sku: 'A', quantity: 100, unitCost: 9 }], [{ sku: 'A', quantity: 1, unitCost: 10 }], [{ sku: 'A', quantity: 1, unitCost: 10 }]], 10],
    ['a tie goes to the lowest cost', [[{ sku: 'A', quantity: 1, unitCost: 10 }], [{ sku: 'A', quantity: 1, unitCost: 9.5 }]], 9.5],
  ])('%s', (_name, subscriptions, cost) => {
    expect(catalogProducts(catalogue, prices, subscriptions)).toEqual([
      { sku: 'A', description: 'Alpha seat', customerDescription: 'Alpha, per user per month', cost, price: 12.5 },
    ]);
  });

  it('only SKUs some account holds (quantity 0 included), sorted; a priced SKU nobody holds is left out', () => {
    const products = catalogProducts(catalogue, prices, [[{ sku: 'X', quantity: 2, unitCost: 1 }], [{ sku: 'B', quantity: 0, unitCost: 3 }]]);
    expect(products).toEqual([
      { sku: 'B', description: 'Beta storage', cost: 3 },
      { sku: 'X', description: 'X', cost: 1 },
    ]);
  });
});

describe('mapLimited', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
