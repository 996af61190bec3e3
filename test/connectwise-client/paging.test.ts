import { cwString } from '@cwx/connectwise';
import { seedCompanies, unique, useSimulator } from './helpers';

describe('paging over real HTTP', () => {
  const ctx = useSimulator();

  it('reads several pages, sending its own conditions with every page', async () => {
    const prefix = unique('PG');
    const ids = await seedCompanies(ctx.client, prefix, 11);
    await seedCompanies(ctx.client, unique('OTHER'), 3);
    const conditions = `identifier like ${cwString(`${prefix}%`)}`;
    ctx.sim.resetRequests();

    const rows = await ctx.client.companies.list({ conditions, pageSize: 4 });

    expect(rows.map((r) => r.id)).toEqual([...ids].sort((a, b) => a - b));
    expect(rows.every((r) => r.identifier?.startsWith(prefix))).toBe(true);
    const pages = ctx.sim.requests().filter((r) => r.method === 'GET' && /\/company\/companies$/.test(r.path));
    expect(pages).toHaveLength(3); // 4 + 4 + 3: the short page ends it
    for (const [i, page] of pages.entries()) {
      expect(Object.fromEntries(new URLSearchParams(page.query))).toMatchObject({ conditions, page: String(i + 1), pageSize: '4', orderBy: 'id asc' });
    }
    expect(await ctx.client.companies.count({ conditions })).toBe(11);
  });

  it('pages at 1,000 rows by default', async () => {
    const prefix = unique('BULK');
    await seedCompanies(ctx.client, prefix, 1003, 50);
    const conditions = `identifier like ${cwString(`${prefix}%`)}`;
    ctx.sim.resetRequests();

    const rows = await ctx.client.companies.list({ conditions, fields: ['id', 'identifier'] });

    expect(rows).toHaveLength(1003);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1003);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(expect.arrayContaining(['id', 'identifier']));
    const pages = ctx.sim.requests().filter((r) => r.method === 'GET' && /\/company\/companies$/.test(r.path));
    expect(pages.map((p) => [new URLSearchParams(p.query).get('page'), new URLSearchParams(p.query).get('pageSize')])).toEqual([
      ['1', '1000'],
      ['2', '1000'],
    ]);
  });

  it('stops reading when the consumer stops iterating', async () => {
    const prefix = unique('IT');
    await seedCompanies(ctx.client, prefix, 6);
    ctx.sim.resetRequests();
    const seen: string[] = [];
    for await (const company of ctx.client.companies.iterate({ conditions: `identifier like ${cwString(`${prefix}%`)}`, pageSize: 2 })) {
      seen.push(company.identifier);
      if (seen.length === 3) break;
    }
    expect(seen).toHaveLength(3);
    expect(ctx.sim.countRequests({ method: 'GET', path: /\/company\/companies$/ })).toBe(2);
  });
});
