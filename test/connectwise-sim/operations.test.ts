import { type RunningSimulator, startSimulator } from '../../apps/connectwise-sim/src/testing';
import { cw } from './helpers';

describe('rate limit, faults, request recording and control endpoints', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.reset();
    sim.resetRequests();
    sim.setRateLimit(0);
    sim.setFaults({ timeoutRate: 0, dropRate: 0, latencyMs: 0 });
  });

  it('answers 429 with Retry-After once a company exceeds its requests per minute', async () => {
    sim.setRateLimit(3);
    const api = cw(sim);
    for (let i = 0; i < 3; i++) expect((await api.get('system/info')).status).toBe(200);
    const res = await api.get('system/info');
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body).toMatchObject({ code: 'ConnectWiseAPI', message: expect.stringMatching(/^Too many requests/) });
    expect((await fetch(`${sim.baseUrl}/login/companyinfo/demo`)).status).toBe(200);
    sim.setRateLimit(0);
    expect((await api.get('system/info')).status).toBe(200);
  });

  it('failNext forces responses deterministically, matching method and path', async () => {
    sim.failNext({ status: 429, method: 'POST', path: /additions/, count: 2 });
    const api = cw(sim);
    expect((await api.get('finance/agreements/1/additions')).status).toBe(200);
    const add = { product: { id: 1 }, billCustomer: 'Billable', quantity: 1 };
    const first = await api.post('finance/agreements/1/additions', add);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await api.post('finance/agreements/1/additions', add)).status).toBe(429);
    expect((await api.post('finance/agreements/1/additions', add)).status).toBe(201);
    expect(sim.state.additions(1)).toHaveLength(3);

    sim.failNext({ status: 500 });
    const timeout = await api.get('company/companies');
    expect(timeout.status).toBe(500);
    expect(timeout.body).toEqual({ code: 'ConnectWiseApi', message: 'A timeout has occured. Please try again.' });

    sim.failNext({ status: 429, headers: { 'Retry-After': '7' }, body: { code: 'Custom', message: 'slow down' } });
    const custom = await api.get('company/companies');
    expect(custom.headers.get('retry-after')).toBe('7');
    expect(custom.body).toEqual({ code: 'Custom', message: 'slow down' });
  });

  it('drops connections without an answer', async () => {
    sim.failNext({ status: 0, drop: true });
    await expect(cw(sim).get('company/companies')).rejects.toThrow();
    sim.setFaults({ dropRate: 1 });
    await expect(cw(sim).get('company/companies')).rejects.toThrow();
    sim.setFaults({ dropRate: 0 });
    expect((await cw(sim).get('company/companies')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sim.countRequests({ status: 0 })).toBe(2);
  });

  it('timeout faults and added latency by configuration', async () => {
    sim.setFaults({ timeoutRate: 1 });
    const res = await cw(sim).get('company/companies');
    expect(res.status).toBe(500);
    expect(res.body.message).toBe('A timeout has occured. Please try again.');
    sim.setFaults({ timeoutRate: 0, latencyMs: 120 });
    const started = Date.now();
    expect((await cw(sim).get('system/info')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(() => sim.setFaults({ timeoutRate: 2 })).toThrow();
  });

  it('records every request and counts them by kind', async () => {
    const api = cw(sim);
    await api.get('finance/agreements/1/additions?pageSize=5');
    await api.post('finance/agreements/1/additions', { product: { id: 2 }, billCustomer: 'Billable' });
    await api.patch('finance/agreements/1/additions/1', [{ op: 'replace', path: 'quantity', value: 2 }]);
    await cw(sim, { privateKey: 'bad' }).get('company/companies');
    const [first] = sim.requests();
    expect(first).toMatchObject({
      method: 'GET',
      path: '/v4_6_release/apis/3.0/finance/agreements/1/additions',
      apiPath: '/finance/agreements/1/additions',
      route: '/finance/agreements/{parentId}/additions',
      query: 'pageSize=5',
      status: 200,
      company: 'demo',
      member: 'apiuser',
      clientId: 'simulator-tests',
    });
    expect(sim.countRequests()).toBe(4);
    expect(sim.countRequests({ method: 'POST', path: /additions/ })).toBe(1);
    expect(sim.countRequests({ method: 'patch' })).toBe(1);
    expect(sim.countRequests({ path: '/finance/agreements/{parentId}/additions' })).toBe(2);
    expect(sim.countRequests({ status: 401 })).toBe(1);
    sim.resetRequests();
    expect(sim.requests()).toHaveLength(0);
  });

  it('control endpoints: requests with summary, state, config, fail-next and reset', async () => {
    const api = cw(sim);
    await api.get('company/companies');
    await api.get('company/companies/2');
    await api.get('company/companies/3');
    const log = (await (await fetch(`${sim.baseUrl}/__sim/requests?method=GET`)).json()) as {
      total: number;
      summary: Record<string, number>;
      requests: unknown[];
    };
    expect(log.total).toBe(3);
    expect(log.summary).toEqual({ 'GET /company/companies': 1, 'GET /company/companies/{id}': 2 });

    const put = await fetch(`${sim.baseUrl}/__sim/config`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rateLimitPerMinute: 1, faults: { latencyMs: 0 }, codebase: 'v2025_3/' }),
    });
    expect(await put.json()).toEqual({ codebase: 'v2025_3/', rateLimitPerMinute: 1, faults: { timeoutRate: 0, dropRate: 0, latencyMs: 0 } });
    expect((await api.get('system/info')).status).toBe(200);
    expect((await api.get('system/info')).status).toBe(429);
    const bad = await fetch(`${sim.baseUrl}/__sim/config`, { method: 'PUT', body: JSON.stringify({ codebase: 'latest' }) });
    expect(bad.status).toBe(400);
    sim.setRateLimit(0);
    sim.setCodebase('v2025_1/');

    await fetch(`${sim.baseUrl}/__sim/fail-next`, { method: 'POST', body: JSON.stringify({ status: 503, path: 'catalog' }) });
    expect((await api.get('procurement/catalog')).status).toBe(503);

    await api.del('finance/agreements/1');
    const state = (await (await fetch(`${sim.baseUrl}/__sim/state`)).json()) as { collections: Record<string, unknown[]>; members: object[] };
    expect(state.collections['finance/agreements']).toHaveLength(3);
    expect(state.members[0]).not.toHaveProperty('privateKey');
    expect((await fetch(`${sim.baseUrl}/__sim/reset`, { method: 'POST' })).status).toBe(204);
    expect(sim.state.agreements()).toHaveLength(4);

    expect((await fetch(`${sim.baseUrl}/__sim/requests/reset`, { method: 'POST' })).status).toBe(204);
    expect(sim.requests()).toHaveLength(0);
  });

  it('GET /health', async () => {
    const res = await fetch(`${sim.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});
