import request from 'supertest';
import { operatorToken, partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

describe('authentication and partner isolation', () => {
  let cp: TestControlPlane;
  const http = () => request(cp.app.getHttpServer());

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp.close());

  it('refuses a request without a token with 401', async () => {
    const res = await http().get('/partners/acme/integration');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
  });

  it('refuses a token signed with another secret, and an expired one', async () => {
    const forged = await partnerToken('acme', { secret: 'another-secret-0123456789abcdef0123456789' });
    expect((await http().get('/partners/acme/integration').auth(forged, { type: 'bearer' })).status).toBe(401);
    const expired = await partnerToken('acme', { expiresIn: '-1h' });
    const res = await http().get('/partners/acme/integration').auth(expired, { type: 'bearer' });
    expect(res.status).toBe(401);
    expect(res.body.message).toContain('expired');
  });

  it("serves a partner its own integration, created on first use", async () => {
    const res = await http().get('/partners/acme/integration').auth(await partnerToken('acme'), { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ partnerId: 'acme', state: 'not_configured', credentialsStored: false, lastExport: null });
  });

  it("answers 404 for another partner's data, as if it did not exist", async () => {
    await http().get('/partners/globex/integration').auth(await partnerToken('globex'), { type: 'bearer' }).expect(200);
    const res = await http().get('/partners/globex/integration').auth(await partnerToken('acme'), { type: 'bearer' });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('not_configured');
  });

  it('lets an operator read any existing partner, and 404s an unknown one', async () => {
    const token = await operatorToken();
    await http().get('/partners/acme/integration').auth(token, { type: 'bearer' }).expect(200);
    const res = await http().get('/partners/nobody/integration').auth(token, { type: 'bearer' });
    expect(res.status).toBe(404);
  });

  it('serves health without a token', async () => {
    const res = await http().get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.info.database).toMatchObject({ status: 'up', driver: 'pglite' });
  });

  it('disables an integration and says nothing was deleted in ConnectWise', async () => {
    const token = await partnerToken('initech');
    await http().get('/partners/initech/integration').auth(token, { type: 'bearer' }).expect(200);
    const res = await http().post('/partners/initech/integration/disable').auth(token, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body.notice).toContain('Nothing was deleted in ConnectWise');
    const status = await http().get('/partners/initech/integration').auth(token, { type: 'bearer' });
    expect(status.body).toMatchObject({ state: 'disabled', nextScheduledExport: null });
  });
});
