import request from 'supertest';
import { operatorToken, partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';
import { ConsoleSessions, SESSION_COOKIE } from '../../apps/control-plane/src/console/console-sessions';

describe('console sign-in: a one-time code exchanged for a session cookie', () => {
  let cp: TestControlPlane;
  const http = () => request(cp.app.getHttpServer());
  const codeFor = async (partnerId: string) => {
    const res = await http().post('/auth/console-codes').auth(await partnerToken(partnerId, { name: 'Acme MSP' }), { type: 'bearer' }).send({}).expect(201);
    return res.body as { code: string; url: string; expiresAt: string };
  };
  const cookieOf = (res: request.Response) => {
    const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    return raw.find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
  };

  beforeAll(async () => {
    cp = await startTestControlPlane();
  });
  afterAll(() => cp.close());

  it('gives the panel a code and a console URL with the code in the fragment, valid 15 minutes', async () => {
    const { code, url, expiresAt } = await codeFor('acme');
    expect(url).toMatch(new RegExp(`/console/#/sign-in/${code}$`));
    const minutes = (Date.parse(expiresAt) - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
  });

  it('exchanges the code once for an HttpOnly, SameSite=Strict cookie that reads the partner (and only it)', async () => {
    const { code } = await codeFor('acme');
    const res = await http().post('/auth/console-session').send({ code }).expect(200);
    expect(res.body).toMatchObject({ partnerId: 'acme', partnerName: 'Acme MSP' });
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const session = cookie.split(';')[0];
    await http().get('/partners/acme/integration').set('cookie', session).expect(200);
    await http().get('/auth/console-session').set('cookie', session).expect(200);
    expect((await http().get('/partners/globex/integration').set('cookie', session)).status).toBe(404);
    const again = await http().post('/auth/console-session').send({ code });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'sign_in_code_refused' });
  });

  it('refuses a write with the cookie but without the console header (a cross-site form cannot add it)', async () => {
    const { code } = await codeFor('acme');
    const session = cookieOf(await http().post('/auth/console-session').send({ code })).split(';')[0];
    const res = await http().post('/partners/acme/runs').set('cookie', session);
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('x-cwx-console');
  });

  it('says so when the session has expired', async () => {
    const { token } = await cp.app.get(ConsoleSessions).issue({ kind: 'partner', subject: 's', partnerId: 'acme' }, 60, Date.now() - 3_600_000);
    const res = await http().get('/partners/acme/integration').set('cookie', `${SESSION_COOKIE}=${token}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'session_expired' });
    expect(res.body.message).toContain('expired');
  });

  it('refuses an unknown code and a forged session', async () => {
    expect((await http().post('/auth/console-session').send({ code: 'x'.repeat(32) })).status).toBe(401);
    expect((await http().get('/partners/acme/integration').set('cookie', `${SESSION_COOKIE}=not.a.jwt`)).status).toBe(401);
  });

  it('lets an operator ask a code for a named partner, and only with one', async () => {
    const token = await operatorToken();
    expect((await http().post('/auth/console-codes').auth(token, { type: 'bearer' }).send({})).status).toBe(400);
    const res = await http().post('/auth/console-codes').auth(token, { type: 'bearer' }).send({ partnerId: 'acme' }).expect(201);
    const exchanged = await http().post('/auth/console-session').send({ code: (res.body as { code: string }).code }).expect(200);
    expect(exchanged.body).toMatchObject({ partnerId: 'acme' });
  });

  it("pushes a run's progress as server-sent events and ends the stream", async () => {
    const token = await partnerToken('acme');
    const res = await http().get('/partners/acme/runs/00000000-0000-0000-0000-000000000000/events').auth(token, { type: 'bearer' }).buffer(true).parse((r, done) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString()));
      r.on('end', () => done(null, text));
    });
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(String(res.body)).toContain('event: error');
  });
});
