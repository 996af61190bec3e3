import request from 'supertest';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

describe('rate limits per token, and security headers', () => {
  let cp: TestControlPlane;
  const http = () => request(cp.app.getHttpServer());

  beforeAll(async () => {
    cp = await startTestControlPlane({ config: { http: { host: '127.0.0.1', port: 0, rateLimit: { perSecond: 3, perMinute: 1000 } } } });
  });
  afterAll(() => cp.close());

  it('answers 429 rate_limited with Retry-After once a token is past its limit; another token and health are not affected', async () => {
    const busy = await partnerToken('rl-busy');
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    for (let i = 0; i < 5; i += 1) {
      const res = await http().get('/partners/rl-busy/integration').auth(busy, { type: 'bearer' });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(limited!.body).toMatchObject({ statusCode: 429, code: 'rate_limited', retryAfterSeconds: expect.any(Number) as number });
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const other = await partnerToken('rl-other');
    expect((await http().get('/partners/rl-other/integration').auth(other, { type: 'bearer' })).status).toBe(200);
    for (let i = 0; i < 6; i += 1) expect((await http().get('/health/live')).status).toBe(200);
  });

  it('sends the security headers, a CSP that allows same-origin scripts and styles, and no X-Powered-By', async () => {
    const res = await http().get('/health/live');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const docs = await http().get('/docs/');
    expect(docs.status).toBe(200);
    expect(docs.headers['x-powered-by']).toBeUndefined();
  });
});
