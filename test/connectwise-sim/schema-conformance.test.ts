import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import schemaDocument from './fixtures/connectwise-schemas.json';
import { type RunningSimulator, startSimulator } from '../../apps/connectwise-sim/src/testing';
import { cw } from './helpers';

type Json = Record<string, unknown>;

/**
 * OpenAPI → JSON Schema: drop `x-*` keys, turn `nullable: true` into a type union, and replace
 * references to schemas the extract does not contain by "any object".
 */
function toJsonSchema(node: unknown, known: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, known));
  if (node === null || typeof node !== 'object') return node;
  const source = node as Json;
  if (typeof source.$ref === 'string') {
    const name = source.$ref.split('/').pop()!;
    return known.has(name) ? { $ref: source.$ref } : { type: 'object' };
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-') || key === 'nullable') continue;
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v, known)])) : toJsonSchema(value, known);
  }
  if (source.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

const raw = (schemaDocument as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
const known = new Set(Object.keys(raw));
const schemas = Object.fromEntries(Object.entries(raw).map(([name, schema]) => [name, toJsonSchema(schema, known)]));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'cw', components: { schemas } });
const validator = (name: string): ValidateFunction => ajv.getSchema(`cw#/components/schemas/${name}`)!;

function expectConforms(name: string, value: unknown): void {
  const validate = validator(name);
  const ok = validate(value);
  if (!ok) throw new Error(`${name} does not conform: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
  // The schemas allow extra members; the simulator must not invent field names, so check those too.
  const declared = Object.keys((raw[name] as { properties?: Json }).properties ?? {});
  const invented = Object.keys(value as Json).filter((key) => !declared.includes(key));
  expect(invented).toEqual([]);
}

/** Resource → schema name, list path, a record to GET, and a body to POST. */
const CASES: Array<{ schema: string; list: string; item: string; create?: { path: string; body: Json } }> = [
  { schema: 'Company', list: 'company/companies', item: 'company/companies/2', create: { path: 'company/companies', body: { identifier: 'Conf1', name: 'Conformance', city: 'X', types: [{ id: 1 }] } } },
  {
    schema: 'Agreement',
    list: 'finance/agreements',
    item: 'finance/agreements/3',
    create: { path: 'finance/agreements', body: { name: 'Conformance', type: { id: 1 }, company: { id: 2 }, contact: { id: 2 }, endDate: '2030-01-01T00:00:00Z' } },
  },
  {
    schema: 'AgreementType',
    list: 'finance/agreements/types',
    item: 'finance/agreements/types/1',
    create: {
      path: 'finance/agreements/types',
      body: { name: 'Conf', employeeCompRate: 'Hourly', employeeCompNotExceed: 'Percent', invoicingCycle: 'ContractYear', billTime: 'NoCharge', billExpenses: 'DoNotBill', billProducts: 'NoDefault' },
    },
  },
  {
    schema: 'Addition',
    list: 'finance/agreements/1/additions',
    item: 'finance/agreements/1/additions/1',
    create: { path: 'finance/agreements/1/additions', body: { product: { id: 3 }, billCustomer: 'DoNotBill', quantity: 2.5, cancelledDate: '2030-01-01' } },
  },
  {
    schema: 'CatalogItem',
    list: 'procurement/catalog',
    item: 'procurement/catalog/1',
    create: { path: 'procurement/catalog', body: { identifier: 'CONF', description: 'c', customerDescription: 'c', subcategory: { id: 3 }, type: { id: 2 }, vendor: { id: 1 }, recurringBillCycle: { id: 2 } } },
  },
  { schema: 'Category', list: 'procurement/categories', item: 'procurement/categories/1', create: { path: 'procurement/categories', body: { name: 'Conf' } } },
  { schema: 'SubCategory', list: 'procurement/subcategories', item: 'procurement/subcategories/1', create: { path: 'procurement/subcategories', body: { name: 'Conf', category: { id: 2 } } } },
  { schema: 'ProductType', list: 'procurement/types', item: 'procurement/types/1', create: { path: 'procurement/types', body: { name: 'Conf', typeXref: 'Service' } } },
  { schema: 'UnitOfMeasure', list: 'procurement/unitOfMeasures', item: 'procurement/unitOfMeasures/1', create: { path: 'procurement/unitOfMeasures', body: { name: 'Conf' } } },
  { schema: 'MySecurity', list: 'system/mySecurity', item: '' },
];

describe('schema conformance: responses validate against the ConnectWise schemas', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());

  it('the validator rejects what breaks the schema (so the test can fail)', () => {
    expect(validator('Addition')({ billCustomer: 'Sometimes', product: { id: 1 } })).toBe(false);
    expect(validator('Addition')({ product: { id: 1 } })).toBe(false);
    expect(validator('Company')({ identifier: 'x', name: 'y', status: { id: 'one' } })).toBe(false);
    expect(() => expectConforms('Category', { id: 1, name: 'x', madeUpField: true })).toThrow();
  });

  it.each(CASES)('$schema: list, item and create', async ({ schema, list, item, create }) => {
    const api = cw(sim);
    const listed = await api.get(list);
    expect(listed.status).toBe(200);
    expect(listed.body.length).toBeGreaterThan(0);
    for (const record of listed.body) expectConforms(schema, record);
    if (item) {
      const one = await api.get(item);
      expect(one.status).toBe(200);
      expectConforms(schema, one.body);
    }
    if (create) {
      const created = await api.post(create.path, create.body);
      expect(created.status).toBe(201);
      expectConforms(schema, created.body);
    }
  });

  it('Count, Info, MyMember, DocumentInfo and ErrorResponseMessage', async () => {
    const api = cw(sim);
    expectConforms('Count', (await api.get('company/companies/count')).body);
    expectConforms('Info', (await api.get('system/info')).body);
    expectConforms('MyMember', (await api.get('system/myMembers')).body);
    const data = new FormData();
    data.append('file', new Blob(['a,b\n']), 'x.csv');
    data.append('recordType', 'Agreement');
    data.append('recordId', '1');
    const doc = await api.post('system/documents', data);
    expectConforms('DocumentInfo', doc.body);
    expectConforms('DocumentInfo', (await api.get('system/documents?recordType=Agreement&recordId=1')).body[0]);
    const error = await api.post('finance/agreements', { name: 'x' });
    expectConforms('ErrorResponseMessage', error.body);
  });
});
