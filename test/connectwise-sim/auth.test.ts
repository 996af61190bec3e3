import { type RunningSimulator, startSimulator } from '../../apps/connectwise-sim/src/testing';
import { cw } from './helpers';

describe('companyinfo, codebases, authentication and security', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.setCodebase('v2025_1/');
  });

  it('GET /login/companyinfo/{companyId} answers without auth with the six keys', async () => {
    const res = await fetch(`${sim.baseUrl}/login/companyinfo/demo`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      CompanyName: 'Demo MSP',
      Codebase: 'v2025_1/',
      VersionCode: 'v2025.1',
      VersionNumber: expect.stringMatching(/^v4\.6\.\d+$/),
      CompanyID: 'demo',
      IsCloud: true,
    });
  });

  it('answers 200 null for an unknown company', async () => {
    const res = await fetch(`${sim.baseUrl}/login/companyinfo/nobody`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('null');
  });

  it('serves the API under v4_6_release/ and the tenant codebase, 404 elsewhere', async () => {
    expect((await cw(sim).get('system/info')).status).toBe(200);
    expect((await cw(sim, { codebase: 'v2025_1/' }).get('system/info')).status).toBe(200);
    expect((await cw(sim, { codebase: 'v2024_2/' }).get('system/info')).status).toBe(404);
  });

  it('after an upgrade the old codebase is 404 and companyinfo names the new one', async () => {
    sim.setCodebase('v2025_2/');
    expect((await cw(sim, { codebase: 'v2025_1/' }).get('company/companies')).status).toBe(404);
    expect((await cw(sim, { codebase: 'v2025_2/' }).get('company/companies')).status).toBe(200);
    expect((await cw(sim).get('company/companies')).status).toBe(200);
    const info = (await (await fetch(`${sim.baseUrl}/login/companyinfo/demo`)).json()) as { Codebase: string };
    expect(info.Codebase).toBe('v2025_2/');
    const system = await cw(sim).get('system/info');
    expect(system.body.version).toMatch(/^v2025\.2\./);
  });

  it('401 Unauthorized for wrong keys, unknown company, missing or malformed credentials', async () => {
    for (const options of [{ privateKey: 'wrong' }, { publicKey: 'nobody' }, { companyId: 'other' }, { companyId: 'DEMO' }]) {
      const res = await cw(sim, options).get('company/companies');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'Unauthorized', message: expect.any(String) });
    }
    const bare = await fetch(`${sim.baseUrl}/v4_6_release/apis/3.0/company/companies`, { headers: { clientId: 'x' } });
    expect(bare.status).toBe(401);
    const bearer = await fetch(`${sim.baseUrl}/v4_6_release/apis/3.0/company/companies`, {
      headers: { clientId: 'x', Authorization: 'Bearer abc' },
    });
    expect(bearer.status).toBe(401);
  });

  it('400 naming clientId when the header is missing', async () => {
    const res = await cw(sim, { clientId: null }).get('company/companies');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/clientId/);
    const lower = await fetch(`${sim.baseUrl}/v4_6_release/apis/3.0/system/info`, {
      headers: { clientid: 'abc', Authorization: `Basic ${Buffer.from('demo+demo-public:demo-private').toString('base64')}` },
    });
    expect(lower.status).toBe(200);
  });

  it('403 Security when the role lacks the permission', async () => {
    const limited = cw(sim, { publicKey: 'limited-public', privateKey: 'limited-private' });
    expect((await limited.get('finance/agreements')).status).toBe(200);
    const create = await limited.post('finance/agreements', { name: 'x', type: { id: 1 }, company: { id: 2 }, contact: { id: 2 } });
    expect(create.status).toBe(403);
    expect(create.body).toEqual({ code: 'Security', message: 'You do not have security permission to perform this action.' });
    expect((await limited.patch('finance/agreements/1', [{ op: 'replace', path: 'name', value: 'y' }])).status).toBe(403);
    expect((await limited.post('finance/agreements/1/additions', { product: { id: 1 }, billCustomer: 'Billable' })).status).toBe(403);
    expect((await limited.post('company/companies', { identifier: 'Ok1', name: 'Ok', city: 'X' })).status).toBe(201);
    expect(sim.state.agreements().find((a) => a.name === 'x')).toBeUndefined();
  });

  it('a member whose role has no entry for a function gets 403 on it', async () => {
    const seed = structuredClone((await import('../../apps/connectwise-sim/src/testing')).demoSeed);
    seed.securityRoles.push({ id: 9, name: 'Nothing', permissions: [] });
    seed.members.push({ id: 9, identifier: 'none', firstName: 'No', lastName: 'Rights', publicKey: 'np', privateKey: 'nk', securityRoleId: 9 });
    const other = await startSimulator({ seed });
    try {
      const none = cw(other, { publicKey: 'np', privateKey: 'nk' });
      expect((await none.get('company/companies')).status).toBe(403);
      expect((await none.get('procurement/types')).status).toBe(403);
      expect((await none.get('system/info')).status).toBe(200);
      expect((await none.get('system/mySecurity')).body).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('system/myMembers is the caller; system/mySecurity its role', async () => {
    const me = await cw(sim, { publicKey: 'limited-public', privateKey: 'limited-private' }).get('system/myMembers');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ identifier: 'apilimited', licenseClass: 'A', securityRole: { id: 2 } });
    const security = await cw(sim, { publicKey: 'limited-public', privateKey: 'limited-private' }).get(
      `system/mySecurity?conditions=${encodeURIComponent('moduleFunctionIdentifier = "Agreements"')}`,
    );
    expect(security.body).toEqual([
      expect.objectContaining({ moduleIdentifier: 'Finance', addLevel: 'None', editLevel: 'None', inquireLevel: 'All' }),
    ]);
    const full = await cw(sim).get('system/mySecurity');
    expect(full.body.map((s: { moduleFunctionIdentifier: string }) => s.moduleFunctionIdentifier).sort()).toEqual([
      'Agreements',
      'Company_Maintenance',
      'Contacts',
      'Product_Catalog',
      'Table_Setup',
    ]);
  });

  it('unknown resources are 404 and unsupported methods 405', async () => {
    expect((await cw(sim).get('service/tickets')).status).toBe(404);
    expect((await cw(sim).get('company/companies/abc')).status).toBe(404);
    const res = await cw(sim).del('finance/agreements');
    expect(res.status).toBe(405);
  });
});
