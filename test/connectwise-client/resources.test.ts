import { cwString, replaceOps, type Addition } from '@cwx/connectwise';
import { clientFor, unique, useSimulator } from './helpers';

describe('typed resources over real HTTP', () => {
  const ctx = useSimulator();

  it('reads the setup tables and system endpoints', async () => {
    expect((await ctx.client.companies.listStatuses()).length).toBeGreaterThan(0);
    expect((await ctx.client.companies.listTypes()).length).toBeGreaterThan(0);
    expect((await ctx.client.agreements.listTypes()).length).toBeGreaterThan(0);
    expect((await ctx.client.procurement.listCategories()).length).toBeGreaterThan(0);
    expect((await ctx.client.procurement.listSubcategories()).length).toBeGreaterThan(0);
    expect((await ctx.client.procurement.listProductTypes()).length).toBeGreaterThan(0);
    expect((await ctx.client.procurement.listUnitsOfMeasure()).length).toBeGreaterThan(0);
    expect((await ctx.client.system.info()).version).toBeTruthy();
    expect((await ctx.client.system.myMember()).identifier).toBeTruthy();
    expect((await ctx.client.system.mySecurity()).length).toBeGreaterThan(0);
  });

  it('company → contact → agreement → catalog item → addition, then one multi-op PATCH', async () => {
    const [status] = await ctx.client.companies.listStatuses();
    const [companyType] = await ctx.client.companies.listTypes();
    const identifier = unique('ACME');
    const company = await ctx.client.companies.create({
      identifier,
      name: `Acme ${identifier}`,
      addressLine1: '1 Main St',
      city: 'Springfield',
      status: { id: status?.id },
      types: [{ id: companyType?.id }],
    });
    expect(company).toMatchObject({ identifier });
    const companyId = company.id ?? 0;
    expect(await ctx.client.companies.get(companyId)).toMatchObject({ id: companyId, identifier });
    expect(await ctx.client.companies.findByIdentifier(identifier)).toMatchObject({ id: companyId });
    expect(await ctx.client.companies.findByIdentifier(unique('NOPE'))).toBeUndefined();
    expect(await ctx.client.companies.count({ conditions: `identifier = ${cwString(identifier)}` })).toBe(1);

    const contact = await ctx.client.contacts.create({ firstName: 'Ada', lastName: 'Lovelace', company: { id: companyId } });
    expect((await ctx.client.contacts.listByCompany(companyId)).map((c) => c.id)).toEqual([contact.id]);

    const [agreementType] = await ctx.client.agreements.listTypes();
    const agreement = await ctx.client.agreements.create({
      name: `Managed ${identifier}`,
      type: { id: agreementType?.id },
      company: { id: companyId },
      contact: { id: contact.id },
      startDate: '2025-01-01T00:00:00Z',
      noEndingDateFlag: true,
    });
    const agreementId = agreement.id ?? 0;
    expect(await ctx.client.agreements.get(agreementId)).toMatchObject({ id: agreementId, company: { id: companyId } });
    expect((await ctx.client.agreements.listByCompany(companyId)).map((a) => a.id)).toEqual([agreementId]);
    expect(await ctx.client.agreements.count({ conditions: `company/id = ${companyId}` })).toBe(1);

    const [subcategory] = await ctx.client.procurement.listSubcategories();
    const [productType] = await ctx.client.procurement.listProductTypes();
    const sku = unique('SKU');
    const item = await ctx.client.catalog.create({
      identifier: sku,
      description: `Seat ${sku}`,
      customerDescription: `Seat licence ${sku}`,
      subcategory: { id: subcategory?.id },
      type: { id: productType?.id },
      price: 10,
      cost: 6,
    });
    expect(await ctx.client.catalog.findByIdentifier(sku)).toMatchObject({ id: item.id, identifier: sku });
    expect(await ctx.client.catalog.get(item.id ?? 0)).toMatchObject({ identifier: sku });
    const repriced = await ctx.client.catalog.patch(item.id ?? 0, replaceOps({ price: 11, cost: 6.5 }));
    expect(repriced).toMatchObject({ price: 11, cost: 6.5 });

    const addition = await ctx.client.additions.create(agreementId, {
      product: { id: item.id },
      billCustomer: 'Billable',
      quantity: 10,
      unitPrice: 11,
      unitCost: 6.5,
      effectiveDate: '2025-01-01T00:00:00Z',
    });
    const additionId = addition.id ?? 0;
    expect(await ctx.client.additions.get(agreementId, additionId)).toMatchObject({ id: additionId, quantity: 10 });
    expect(await ctx.client.additions.findByProduct(agreementId, item.id ?? 0)).toMatchObject({ id: additionId });
    expect(await ctx.client.additions.count(agreementId)).toBe(1);

    ctx.sim.resetRequests();
    const patched = await ctx.client.additions.patch(agreementId, additionId, [
      { op: 'replace', path: 'quantity', value: 12 },
      { op: 'replace', path: 'unitPrice', value: 12.5 },
    ] satisfies Parameters<typeof ctx.client.additions.patch>[2]);
    expect(patched).toMatchObject({ quantity: 12, unitPrice: 12.5 });
    expect(ctx.sim.countRequests({ method: 'PATCH' })).toBe(1);
    const all: Addition[] = await ctx.client.additions.list(agreementId);
    expect(all).toEqual([expect.objectContaining({ id: additionId, quantity: 12 })]);
  });

  it('counts requests per method and outcome, and reports each attempt', async () => {
    const events: string[] = [];
    const counted = clientFor(ctx.sim, undefined, { onRequest: (e) => events.push(`${e.method} ${e.path} ${e.outcome}`) });
    await counted.system.info();
    await counted.companies.get(987654321).catch(() => undefined);
    expect(counted.stats().byMethodAndOutcome).toEqual({ 'GET ok': 3, 'GET not-found': 1 });
    expect(events).toEqual(['GET /login/companyinfo ok', 'GET /system/info ok', 'GET /company/companies/987654321 not-found', 'GET /login/companyinfo ok']);
  });
});
