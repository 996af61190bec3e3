import { type RunningSimulator, type SimSeed, demoSeed, startSimulator } from '../../apps/connectwise-sim/src/testing';
import { cw, q } from './helpers';

/** The demo seed plus `n` extra companies, for paging. */
function seedWithCompanies(n: number): SimSeed {
  const seed = structuredClone(demoSeed);
  const companies = seed.records['company/companies']!;
  for (let i = 1; i <= n; i++) {
    companies.push({ id: 100 + i, identifier: `Bulk${String(i).padStart(3, '0')}`, name: `Bulk Customer ${i}`, city: i % 2 ? 'Odd' : 'Even' });
  }
  return seed;
}

describe('lists: paging, Link, forward-only, conditions, orderBy, fields, count', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: seedWithCompanies(60) });
  });
  afterAll(() => sim.close());

  it('lists are bare arrays of 25 by default with a Link header', async () => {
    const res = await cw(sim).get('company/companies');
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(25);
    const base = `${sim.baseUrl}/v4_6_release/apis/3.0/company/companies`;
    expect(res.headers.get('link')).toBe(`<${base}?pageSize=25&page=2>; rel="next", <${base}?pageSize=25&page=3>; rel="last"`);
  });

  it('walks pages with page/pageSize; last page has first/prev only', async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 4; page++) {
      const res = await cw(sim).get(`company/companies?pageSize=20&page=${page}`);
      seen.push(...res.body.map((c: { id: number }) => c.id));
      if (page === 4) {
        expect(res.body).toHaveLength(6);
        expect(res.headers.get('link')).toMatch(/rel="first", <[^>]+pageSize=20&page=3>; rel="prev"$/);
      }
    }
    expect(seen).toHaveLength(66);
    expect(new Set(seen).size).toBe(66);
    expect((await cw(sim).get('company/companies?pageSize=20&page=9')).body).toEqual([]);
  });

  it('clamps pageSize above 1,000 and rejects a non-numeric page', async () => {
    const res = await cw(sim).get('company/companies?pageSize=5000');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(66);
    expect(res.headers.get('link')).toBeNull();
    expect((await cw(sim).get('company/companies?page=two')).status).toBe(400);
  });

  it('forward-only: pageId pages by id, Link with the last id, empty Link at the end', async () => {
    const headers = { 'pagination-type': 'forward-only' };
    const ids: number[] = [];
    let path = `company/companies?pageSize=30&${q('city = "Odd" or city = "Even"')}`;
    let pages = 0;
    for (;;) {
      const res = await cw(sim).get(path, headers);
      pages++;
      ids.push(...res.body.map((c: { id: number }) => c.id));
      const link = res.headers.get('link');
      expect(link).not.toBeNull();
      if (link === '') break;
      const next = /^<([^>]+)>; rel="next"$/.exec(link!)![1];
      expect(next).toMatch(new RegExp(`pageSize=30&pageId=${ids[ids.length - 1]}$`));
      path = `${next.slice(next.indexOf('company/companies'))}&${q('city = "Odd" or city = "Even"')}`;
    }
    expect(pages).toBe(2);
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => 101 + i));
    const orderBy = await cw(sim).get('company/companies?orderBy=name desc', headers);
    expect(orderBy.status).toBe(400);
  });

  it('conditions filter lists and counts; bad conditions are 400', async () => {
    const res = await cw(sim).get(`company/companies?pageSize=100&${q('city = "odd" and name like "Bulk Customer 1%"')}`);
    expect(res.body.map((c: { identifier: string }) => c.identifier)).toEqual(['Bulk001', 'Bulk011', 'Bulk013', 'Bulk015', 'Bulk017', 'Bulk019']);
    expect((await cw(sim).get(`company/companies/count?${q('city = "Odd"')}`)).body).toEqual({ count: 30 });
    expect((await cw(sim).get('company/companies/count')).body).toEqual({ count: 66 });
    const inactive = await cw(sim).get(`company/companies?${q('status/name = "Inactive"')}`);
    expect(inactive.body.map((c: { identifier: string }) => c.identifier)).toEqual(['Umbrella']);
    const bad = await cw(sim).get(`company/companies?${q('deletedFlag = 1')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^Expected a boolean value, not a numeric\. String values should be enclosed/);
    const unknown = await cw(sim).get(`company/companies?${q('nosuchfield = 1')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/nosuchfield/);
  });

  it('conditions on lastUpdated, references and ids', async () => {
    const recent = await cw(sim).get(`finance/agreements?${q('lastUpdated > [2000-01-01T00:00:00Z] and company/identifier = "AcmeCorp"')}`);
    expect(recent.body.map((a: { id: number }) => a.id)).toEqual([1]);
    const byType = await cw(sim).get(`finance/agreements?${q('type/id in (2, 3) and agreementStatus != "Cancelled"')}`);
    expect(byType.body.map((a: { id: number }) => a.id)).toEqual([2, 4]);
  });

  it('orderBy sorts by one or more fields', async () => {
    const res = await cw(sim).get(`company/companies?orderBy=${encodeURIComponent('city desc, name asc')}&pageSize=3&${q('id < 100')}`);
    expect(res.body.map((c: { city: string }) => c.city)).toEqual(['Springfield', 'Raccoon City', 'New York']);
    expect((await cw(sim).get('company/companies?orderBy=bogus asc')).status).toBe(400);
  });

  it('fields gives partial responses, also on a single record', async () => {
    const res = await cw(sim).get(`company/companies?fields=id,name,status/id&pageSize=1`);
    expect(res.body).toEqual([{ id: 1, name: 'Demo MSP', status: { id: 1 } }]);
    const one = await cw(sim).get('finance/agreements/1?fields=id,company/identifier');
    expect(one.body).toEqual({ id: 1, company: { identifier: 'AcmeCorp' } });
  });
});
