import { type RunningSimulator, startSimulator } from '../../apps/connectwise-sim/src/testing';
import { cw, q } from './helpers';

describe('resources: create, read, replace, patch, delete and validation', () => {
  let sim: RunningSimulator;
  let api: ReturnType<typeof cw>;
  beforeAll(async () => {
    sim = await startSimulator();
    api = cw(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  describe('lookup tables: every one supports the full cycle', () => {
    const tables: Array<[string, Record<string, unknown>]> = [
      ['company/companies/statuses', { name: 'On Hold' }],
      ['company/companies/types', { name: 'Reseller' }],
      ['finance/billingCycles', { name: 'Biweekly' }],
      ['procurement/categories', { name: 'Software' }],
      ['procurement/subcategories', { name: 'Antivirus', category: { id: 1 } }],
      ['procurement/types', { name: 'Bundle', typeXref: 'OtherCharge' }],
      ['procurement/unitOfMeasures', { name: 'Seat' }],
      [
        'finance/agreements/types',
        { name: 'Backup', employeeCompRate: 'Actual', employeeCompNotExceed: 'Billing', invoicingCycle: 'CalendarYear', billTime: 'Billable', billExpenses: 'Billable', billProducts: 'Billable' },
      ],
    ];

    it.each(tables)('%s', async (path, body) => {
      const created = await api.post(path, body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ...body, id: expect.any(Number), _info: { lastUpdated: expect.any(String), updatedBy: 'apiuser' } });
      const id = created.body.id as number;
      expect((await api.get(`${path}/${id}`)).body).toEqual(created.body);
      expect((await api.get(`${path}?${q(`name = "${String(body.name)}"`)}`)).body).toEqual([created.body]);
      const patched = await api.patch(`${path}/${id}`, [{ op: 'replace', path: 'name', value: 'Renamed' }]);
      expect(patched.status).toBe(200);
      expect(patched.body.name).toBe('Renamed');
      const replaced = await api.put(`${path}/${id}`, { ...body, name: 'Replaced' });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ id, name: 'Replaced' });
      expect((await api.post(path, { ...body, name: undefined })).body.errors[0]).toMatchObject({ code: 'MissingRequiredField', field: 'name' });
      expect((await api.del(`${path}/${id}`)).status).toBe(204);
      const gone = await api.get(`${path}/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('NotFound');
      expect(gone.body.message).toMatch(new RegExp(` ${id} not found$`));
    });

    it('the subcategories collection also answers with the spec trailing slash', async () => {
      const res = await api.get('procurement/subcategories/');
      expect(res.status).toBe(200);
      expect(res.body.map((s: { name: string }) => s.name)).toEqual(['Cloud Licensing', 'Cloud Backup', 'Workstations']);
      expect(res.body[0].category).toEqual({ id: 1, name: 'Cloud', _info: { category_href: expect.stringMatching(/\/procurement\/categories\/1$/) } });
    });
  });

  describe('companies and contacts', () => {
    it('creates a company with reference _info hrefs and a default status; null fields are omitted', async () => {
      const res = await api.post('company/companies', { identifier: 'Wayne', name: 'Wayne Enterprises', city: 'Gotham', types: [{ id: 1 }], website: null });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        identifier: 'Wayne',
        status: { id: 1, name: 'Active', _info: { status_href: `${sim.baseUrl}/v4_6_release/apis/3.0/company/companies/statuses/1` } },
        types: [{ id: 1, name: 'Client', _info: { type_href: expect.stringContaining('/company/companies/types/1') } }],
      });
      expect(res.body).not.toHaveProperty('website');
      expect(res.body).not.toHaveProperty('addressLine2');
    });

    it('refuses a duplicate identifier (any case) with ObjectExists, and a company without an address field', async () => {
      const dup = await api.post('company/companies', { identifier: 'acmecorp', name: 'Other', city: 'X' });
      expect(dup.status).toBe(400);
      expect(dup.body).toEqual({
        code: 'InvalidObject',
        message: 'company object is invalid',
        errors: [{ code: 'ObjectExists', message: expect.any(String), resource: 'company', field: 'identifier' }],
      });
      const noAddress = await api.post('company/companies', { identifier: 'NoAddr', name: 'No Address' });
      expect(noAddress.body.errors[0]).toMatchObject({ code: 'MissingRequiredField', resource: 'company' });
      const missing = await api.post('company/companies', { city: 'X' });
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['identifier', 'name']);
    });

    it('PUT replaces the record: fields left out are reset', async () => {
      const res = await api.put('company/companies/2', { identifier: 'AcmeCorp', name: 'Acme Corp', city: 'Shelbyville' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: 2, name: 'Acme Corp', city: 'Shelbyville', status: { id: 1 } });
      expect(res.body).not.toHaveProperty('website');
      expect(res.body).not.toHaveProperty('addressLine1');
      expect(res.body.types).toEqual([expect.objectContaining({ id: 1 })]);
    });

    it('contacts carry a company reference; a contact reference shows the full name', async () => {
      const res = await api.post('company/contacts', { firstName: 'Bruce', lastName: 'Wayne', company: { id: 2 } });
      expect(res.status).toBe(201);
      expect(res.body.company).toEqual({
        id: 2,
        identifier: 'AcmeCorp',
        name: 'Acme Corporation',
        _info: { company_href: `${sim.baseUrl}/v4_6_release/apis/3.0/company/companies/2` },
      });
      const agreement = await api.post('finance/agreements', { name: 'Bat', type: { id: 1 }, company: { id: 2 }, contact: { id: res.body.id } });
      expect(agreement.body.contact).toMatchObject({ id: res.body.id, name: 'Bruce Wayne' });
      const byCompany = await api.get(`company/contacts?${q('company/id = 2')}`);
      expect(byCompany.body.map((c: { firstName: string }) => c.firstName)).toEqual(['Wile', 'Road', 'Bruce']);
      expect((await api.post('company/contacts', { lastName: 'Only' })).body.errors[0].field).toBe('firstName');
    });
  });

  describe('agreements', () => {
    it('creates an agreement, defaulting from its type', async () => {
      const res = await api.post('finance/agreements', { name: 'Globex Backup', type: { id: 2 }, company: { identifier: 'globex' }, contact: { id: 4 } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'Globex Backup',
        type: { id: 2, name: 'Cloud Services' },
        company: { id: 3, identifier: 'Globex' },
        billingCycle: { id: 2, name: 'Monthly' },
        billTime: 'NoDefault',
        billProducts: 'Billable',
        agreementStatus: 'Active',
        noEndingDateFlag: true,
      });
      expect(sim.state.agreements()).toHaveLength(5);
    });

    it('refuses unknown company, contact and type with NotFound errors', async () => {
      const res = await api.post('finance/agreements', { name: 'x', type: { id: 99 }, company: { id: 98 }, contact: { id: 97 } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('InvalidObject');
      expect(res.body.message).toBe('agreement object is invalid');
      expect(res.body.errors).toEqual([
        { code: 'NotFound', message: 'Agreement Type 99 not found', resource: 'agreement', field: 'type/id' },
        { code: 'NotFound', message: 'Company 98 not found', resource: 'agreement', field: 'company/id' },
        { code: 'NotFound', message: 'Contact 97 not found', resource: 'agreement', field: 'contact/id' },
      ]);
      const missing = await api.post('finance/agreements', { name: 'x' });
      expect(missing.body.errors.map((e: { code: string; field: string }) => `${e.code}:${e.field}`)).toEqual([
        'MissingRequiredField:type',
        'MissingRequiredField:company',
        'MissingRequiredField:contact',
      ]);
    });

    it('the cancelled demo agreement reads as Cancelled; cancelling by PATCH too', async () => {
      expect((await api.get('finance/agreements/3')).body).toMatchObject({ cancelledFlag: true, agreementStatus: 'Cancelled' });
      const res = await api.patch('finance/agreements/1', [{ op: 'replace', path: 'cancelledFlag', value: true }]);
      expect(res.body).toMatchObject({ agreementStatus: 'Cancelled', dateCancelled: expect.any(String) });
    });

    it('a wrong JSON type is a 500 ConnectWiseApi conversion error; a wrong enum too', async () => {
      const res = await api.post('finance/agreements', { name: 'x', type: { id: 1 }, company: { id: 2 }, contact: { id: 2 }, taxable: 'maybe' });
      expect(res.status).toBe(500);
      expect(res.body.code).toBe('ConnectWiseApi');
      expect(res.body.message).toMatch(/^Error converting value "maybe" to type '.*Boolean.*'\. Path 'taxable'/);
      const badEnum = await api.post('finance/agreements', { name: 'x', type: { id: 1 }, company: { id: 2 }, contact: { id: 2 }, billTime: 'Sometimes' });
      expect(badEnum.status).toBe(500);
      const badRef = await api.post('finance/agreements', { name: 'x', type: 1, company: { id: 2 }, contact: { id: 2 } });
      expect(badRef.status).toBe(500);
      expect((await api.request('POST', 'finance/agreements', undefined, { 'Content-Type': 'application/json' })).status).toBe(400);
    });

    it('malformed JSON is 400; a name over 100 characters is MaxLengthField', async () => {
      const res = await fetch(`${api.base}finance/agreements`, {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from('demo+demo-public:demo-private').toString('base64')}`, clientId: 'x', 'Content-Type': 'application/json' },
        body: '{"name": ',
      });
      expect(res.status).toBe(400);
      const long = await api.post('finance/agreements', { name: 'n'.repeat(101), type: { id: 1 }, company: { id: 2 }, contact: { id: 2 } });
      expect(long.body.errors[0]).toMatchObject({ code: 'MaxLengthField', field: 'name' });
    });

    it('deleting an agreement removes its additions', async () => {
      expect((await api.del('finance/agreements/1')).status).toBe(204);
      expect(sim.state.additions(1)).toEqual([]);
      expect((await api.get('finance/agreements/1/additions')).status).toBe(404);
      expect((await api.get('finance/agreements/1')).body).toEqual({ code: 'NotFound', message: 'Agreement 1 not found' });
    });
  });

  describe('additions', () => {
    it('derives extPrice, extCost, margin, description, uom and agreementId; product is an IvItemReference', async () => {
      const res = await api.post('finance/agreements/2/additions', { product: { id: 1 }, billCustomer: 'Billable', quantity: 4, unitPrice: 30 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        product: { id: 1, identifier: 'M365-BP', _info: { catalog_href: `${sim.baseUrl}/v4_6_release/apis/3.0/procurement/catalog/1` } },
        quantity: 4,
        unitPrice: 30,
        unitCost: 22,
        extPrice: 120,
        extCost: 88,
        margin: 32,
        description: 'Microsoft 365 Business Premium',
        uom: 'User',
        agreementId: 2,
        agreementStatus: 'Active',
      });
      expect(sim.state.additions(2).map((a) => a.id)).toEqual([3, res.body.id]);
    });

    it('PATCH with or without a leading slash recomputes derived fields', async () => {
      const res = await api.patch('finance/agreements/1/additions/1', [
        { op: 'replace', path: 'quantity', value: 12 },
        { op: 'replace', path: '/unitPrice', value: 27 },
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ quantity: 12, unitPrice: 27, extPrice: 324, extCost: 264 });
      expect(sim.state.get('finance/agreements/additions', 1)).toMatchObject({ quantity: 12, extPrice: 324 });
    });

    it('re-pointing product re-defaults price and cost unless they are sent too', async () => {
      const res = await api.patch('finance/agreements/1/additions/1', [{ op: 'replace', path: 'product', value: { id: 2 } }]);
      expect(res.body).toMatchObject({ product: { id: 2, identifier: 'M365-E3' }, unitPrice: 39.6, unitCost: 33, description: 'Microsoft 365 E3' });
      const kept = await api.patch('finance/agreements/1/additions/1', [
        { op: 'replace', path: 'product', value: { id: 1 } },
        { op: 'replace', path: 'unitPrice', value: 1 },
      ]);
      expect(kept.body).toMatchObject({ unitPrice: 1, unitCost: 22 });
    });

    it('PATCH errors: not an array, unknown path, nested path, bad op, wrong type', async () => {
      const notArray = await api.patch('finance/agreements/1/additions/1', { op: 'replace', path: 'quantity', value: 1 });
      expect(notArray.status).toBe(400);
      expect(notArray.body.code).toBe('InvalidPatch');
      for (const ops of [
        [{ op: 'replace', path: 'nope', value: 1 }],
        [{ op: 'replace', path: 'product/id', value: 2 }],
        [{ op: 'move', path: 'quantity', value: 1 }],
        [{ op: 'replace', path: 'quantity', value: 'lots' }],
        [{ op: 'replace', path: 'product', value: 'M365-BP' }],
      ]) {
        const res = await api.patch('finance/agreements/1/additions/1', ops);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('InvalidPatch');
      }
      expect(sim.state.get('finance/agreements/additions', 1)).toMatchObject({ quantity: 10 });
    });

    it('an unknown product is InvalidObject/NotFound; billCustomer is required', async () => {
      const res = await api.post('finance/agreements/1/additions', { product: { id: 999 }, billCustomer: 'Billable' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ code: 'NotFound', message: 'Catalog Item 999 not found', resource: 'addition', field: 'product/id' }]);
      const missing = await api.post('finance/agreements/1/additions', { product: { identifier: 'M365-BP' } });
      expect(missing.body.errors).toEqual([expect.objectContaining({ code: 'MissingRequiredField', field: 'billCustomer' })]);
    });

    it('an addition is only reachable under its own agreement; an unknown agreement is 404', async () => {
      expect((await api.get('finance/agreements/2/additions/1')).status).toBe(404);
      expect((await api.get('finance/agreements/1/additions/1')).status).toBe(200);
      const none = await api.get('finance/agreements/77/additions');
      expect(none.body).toEqual({ code: 'NotFound', message: 'Agreement 77 not found' });
      expect((await api.get('finance/agreements/1/additions/count')).body).toEqual({ count: 2 });
      expect((await api.get(`finance/agreements/1/additions?${q('product/identifier = "AV-ENDPOINT"')}`)).body).toHaveLength(1);
    });

    it('PUT replaces and DELETE removes an addition', async () => {
      const put = await api.put('finance/agreements/1/additions/2', { product: { id: 4 }, billCustomer: 'NoCharge', quantity: 3 });
      expect(put.body).toMatchObject({ id: 2, billCustomer: 'NoCharge', quantity: 3, unitPrice: 5, extPrice: 15 });
      expect((await api.del('finance/agreements/1/additions/2')).status).toBe(204);
      expect(sim.state.additions(1).map((a) => a.id)).toEqual([1]);
    });
  });

  describe('catalog', () => {
    const item = { identifier: 'AZ-PLAN', description: 'Azure Plan', customerDescription: 'Azure consumption', subcategory: { id: 2 }, type: { id: 1 } };

    it('creates an item with defaults and the subcategory category; finds it by identifier', async () => {
      const res = await api.post('procurement/catalog', { ...item, price: 10, cost: 8, unitOfMeasure: { id: 3 } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ productClass: 'NonInventory', category: { id: 1, name: 'Cloud' }, unitOfMeasure: { id: 3, name: 'Month' }, inactiveFlag: false });
      const found = await api.get(`procurement/catalog?${q('identifier = "az-plan"')}`);
      expect(found.body.map((i: { id: number }) => i.id)).toEqual([res.body.id]);
    });

    it('refuses an existing identifier with ObjectExists, also when renaming by PATCH', async () => {
      const dup = await api.post('procurement/catalog', { ...item, identifier: 'm365-bp' });
      expect(dup.status).toBe(400);
      expect(dup.body.errors).toEqual([expect.objectContaining({ code: 'ObjectExists', field: 'identifier', resource: 'catalogItem' })]);
      const rename = await api.patch('procurement/catalog/2', [{ op: 'replace', path: 'identifier', value: 'M365-BP' }]);
      expect(rename.body.errors[0].code).toBe('ObjectExists');
      const same = await api.patch('procurement/catalog/1', [{ op: 'replace', path: 'identifier', value: 'm365-bp' }]);
      expect(same.status).toBe(200);
    });

    it('enforces required fields and the 60-character description', async () => {
      const res = await api.post('procurement/catalog', { identifier: 'X' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['description', 'subcategory', 'type', 'customerDescription']);
      const long = await api.post('procurement/catalog', { ...item, description: 'd'.repeat(61) });
      expect(long.body.errors[0]).toMatchObject({ code: 'MaxLengthField', field: 'description' });
    });

    it('PATCH price and cost', async () => {
      const res = await api.patch('procurement/catalog/1', [
        { op: 'replace', path: 'price', value: 30 },
        { op: 'replace', path: 'cost', value: '23.5' },
      ]);
      expect(res.body).toMatchObject({ price: 30, cost: 23.5 });
    });
  });
});
