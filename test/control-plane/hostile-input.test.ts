import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { writeFolder } from '@cwx/platform-testing';
import { operatorToken, partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

/** The requests that were answered 500 when the product was attacked by hand (issue 15), one by one. */
describe('hostile input, by hand: each answered with a 4xx and the uniform error body', () => {
  let cp: TestControlPlane;
  let dataDir: string;
  let token: string;
  let operator: string;
  const http = () => request(cp.app.getHttpServer());
  const refused = (res: request.Response, status: number, code: string) => {
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status, body: { statusCode: status, code, message: expect.any(String) as string } });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-hostile-hand-'));
    await writeFolder(dataDir, 'p1', {
      'partner.json': { id: 'p1', name: 'P', currency: 'USD' },
      'skus.json': { items: [] },
      'retail-prices.json': { items: [] },
      'accounts.json': {
        items: [
          { id: 'a1', name: 'Ac\u0000me', status: 'active' },
          { id: 'a2', name: 'Glo\ud800bex', status: 'active' },
          { id: '../a3', name: 'Traversal', status: 'active' },
          { id: 'a4', name: 'Fine', status: 'active' },
        ],
      },
    });
    cp = await startTestControlPlane({ config: { platform: { kind: 'folder', dataDir } } });
    token = await partnerToken('p1');
    operator = await operatorToken();
  });
  afterAll(async () => {
    await cp.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a NUL in a platform account name is neutralised; an account with a bad id is left out and reported; the mapping page works', async () => {
    const sync = await http().post('/partners/p1/accounts/sync').auth(token, { type: 'bearer' });
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ total: 3, rejected: 1, rejectedAccounts: [{ index: 2, accountId: null, problems: [expect.stringContaining('id:') as string] }] });
    const list = await http().get('/partners/p1/accounts').auth(token, { type: 'bearer' }).expect(200);
    expect((list.body.items as { accountId: string; accountName: string }[]).map((a) => [a.accountId, a.accountName])).toEqual([
      ['a1', 'Acme'],
      ['a4', 'Fine'],
      ['a2', 'Glo\ufffdbex'],
    ]);
  });

  it('a NUL or a lone surrogate in q, in an account id in a path or a bulk body, in a new company or agreement name', async () => {
    refused(await http().get('/partners/p1/accounts?q=a%00b').auth(token, { type: 'bearer' }), 400, 'validation_failed');
    refused(await http().post('/partners/p1/accounts/a%00b/unmap').auth(token, { type: 'bearer' }).send({ version: 1 }), 400, 'validation_failed');
    for (const accountId of ['a\u0000', '\ud800', '..']) {
      refused(await http().post('/partners/p1/accounts/export').auth(token, { type: 'bearer' }).send({ items: [{ accountId, version: 1, exportEnabled: true }] }), 400, 'validation_failed');
    }
    const map = (body: object) => http().put('/partners/p1/accounts/a4/mapping').auth(token, { type: 'bearer' }).send({ version: 1, ...body });
    refused(await map({ createCompany: { name: 'New\u0000 Co' } }), 400, 'validation_failed');
    refused(await map({ companyId: 2, createAgreement: { name: 'Agreement \udc00' } }), 400, 'validation_failed');
  });

  it.each([2 ** 31, 2 ** 63, 1e308])('a version of %d', async (version) => {
    const res = await http().post('/partners/p1/accounts/a4/unmap').auth(token, { type: 'bearer' }).set('content-type', 'application/json').send(`{"version": ${version}}`);
    refused(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ field: 'version', reason: 'must not be greater than 2147483647' }]);
  });

  it('tens of thousands of [ inside a nested object and inside an unknown field', async () => {
    const deep = '['.repeat(40_000) + ']'.repeat(40_000);
    for (const body of [`{"version":1,"x":${deep}}`, `{"version":1,"createCompany":{"name":${deep}}}`]) {
      refused(await http().put('/partners/p1/accounts/a4/mapping').auth(token, { type: 'bearer' }).set('content-type', 'application/json').send(body), 400, 'validation_failed');
    }
  });

  it('an operator writing credentials or settings for a partner that does not exist gets 404', async () => {
    refused(await http().put('/partners/nobody/integration/credentials').auth(operator, { type: 'bearer' }).send({ site: 'api-na.myconnectwise.net', companyId: 'x', publicKey: 'a', privateKey: 'b' }), 404, 'not_found');
    const settings = { exportMode: 'manual', timeZone: 'UTC', data: { products: true, quantity: true, cost: false, retailPrice: false, usersList: true }, disappearedSku: 'zero', connectwiseDefaults: {} };
    refused(await http().put('/partners/nobody/integration/settings').auth(operator, { type: 'bearer' }).send(settings), 404, 'not_found');
    refused(await http().get('/partners/nobody/accounts').auth(operator, { type: 'bearer' }), 404, 'not_found');
    refused(await http().get('/partners/a%00b/integration').auth(operator, { type: 'bearer' }), 400, 'validation_failed');
  });

  it("a token whose partner id is '..' or carries a NUL is refused with 401", async () => {
    for (const id of ['..', '.', 'a\u0000b', 'x'.repeat(129)]) {
      refused(await http().get('/partners/p1/accounts').auth(await partnerToken(id), { type: 'bearer' }), 401, 'unauthorized');
    }
  });
});
