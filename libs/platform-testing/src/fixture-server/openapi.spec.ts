import Ajv2020 from 'ajv/dist/2020';
import axios from 'axios';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderPlatformSource, HttpPlatformSource, PlatformFolderStore } from '@cwx/platform';
import { generatePartner } from '../generator/generate-partner';
import { writePartnerToFolder } from '../generator/write-partner';
import { createFixtureHandler, listen, type RunningFixtureServer } from './fixture-server';

const TOKEN = 'openapi-token';
const DOC_PATH = join(__dirname, '..', '..', '..', 'platform', 'openapi', 'platform-api.json');

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> } }>;
}

describe('openapi/platform-api.json matches what the adapter asks and the fixture answers', () => {
  let doc: OpenApiDoc;
  let dir: string;
  let server: RunningFixtureServer;
  const requested: string[] = [];
  const ajv = new Ajv2020({ strict: false, allErrors: true });

  beforeAll(async () => {
    doc = JSON.parse(await readFile(DOC_PATH, 'utf8')) as OpenApiDoc;
    ajv.addSchema(doc, 'api');
    dir = await mkdtemp(join(tmpdir(), 'cwx-openapi-'));
    await writePartnerToFolder(generatePartner({ partnerId: 'oa', seed: 3, accounts: 30, hostileNames: 0.2 }), dir);
    const handler = createFixtureHandler(new PlatformFolderStore(dir), { token: TOKEN });
    server = await listen(
      createServer((req, res) => {
        requested.push(new URL(req.url ?? '/', 'http://x').pathname);
        handler(req, res);
      }),
      '127.0.0.1',
      0,
    );
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const validate = (ref: string, body: unknown): string => {
    const check = ajv.getSchema(`api${ref}`);
    if (!check) throw new Error(`no schema ${ref}`);
    return check(body) ? 'valid' : ajv.errorsText(check.errors);
  };
  const get = (path: string) =>
    axios.get<unknown>(`${server.baseUrl}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` }, validateStatus: () => true });
  const concrete = (template: string, accountId: string) => template.replace('{partnerId}', 'oa').replace('{accountId}', accountId);

  it('is OpenAPI 3.1 and documents exactly the paths the HTTP adapter calls', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const source = new HttpPlatformSource({ baseUrl: server.baseUrl, token: TOKEN });
    const [account] = (await source.listAccounts('oa', { pageSize: 1 })).items;
    await Promise.all([
      source.getPartner('oa'),
      source.getSkus('oa'),
      source.getRetailPrices('oa'),
      source.getSubscriptions('oa', account.id),
      source.getUsers('oa', account.id),
    ]);
    const templates = new Set(requested.map((p) => p.replace(/^\/partners\/oa/, '/partners/{partnerId}').replace(account.id, '{accountId}')));
    expect([...templates].sort()).toEqual(Object.keys(doc.paths).sort());
  });

  it('describes every 200 body the fixture serves, and its 404 bodies', async () => {
    const accounts = await new FolderPlatformSource(dir).listAccounts('oa', { pageSize: 30 });
    for (const [template, item] of Object.entries(doc.paths)) {
      const ref = item.get.responses['200'].content?.['application/json'].schema.$ref ?? '';
      for (const account of accounts.items.slice(0, 10)) {
        const response = await get(concrete(template, account.id));
        expect(response.status).toBe(200);
        expect(`${template}: ${validate(ref, response.data)}`).toBe(`${template}: valid`);
      }
      const missing = await get(template.replace('{partnerId}', 'nobody').replace('{accountId}', 'x'));
      expect(missing.status).toBe(404);
      expect(validate('#/components/schemas/Error', missing.data)).toBe('valid');
    }
  });

  it('rejects bodies the contract forbids (the schemas are not vacuous)', () => {
    expect(validate('#/components/schemas/PlanLine', { planId: 'p', sku: 'X', quantity: -1, unitCost: 1 })).not.toBe('valid');
    expect(validate('#/components/schemas/Account', { id: 'a', name: 'A', status: 'deleted' })).not.toBe('valid');
    expect(validate('#/components/schemas/Partner', { id: 'p', name: 'P', currency: 'usd' })).not.toBe('valid');
  });
});
