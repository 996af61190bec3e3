import { inspect } from 'node:util';
import { ConnectWiseError } from '@cwx/connectwise';
import { DEMO, LIMITED, clientFor, rejectionOf, renderings, secretsOf, unique, useSimulator } from './helpers';

describe('ConnectWise errors over real HTTP', () => {
  const ctx = useSimulator();

  async function expectNoSecrets(error: unknown, credentials = DEMO): Promise<void> {
    expect(error).toBeInstanceOf(ConnectWiseError);
    for (const text of renderings(error)) {
      for (const secret of secretsOf(credentials)) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/Basic [A-Za-z0-9+/=]{8,}/);
    }
    await Promise.resolve();
  }

  it('401 for wrong keys → unauthorized, not retried, no credentials in any rendering', async () => {
    const wrong = { ...DEMO, privateKey: 'not-the-private-key-9f2c' };
    const bad = clientFor(ctx.sim, wrong);
    ctx.sim.resetRequests();
    const error = await rejectionOf(bad.system.info());
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, method: 'GET', path: '/system/info', attempts: 1 });
    expect(ctx.sim.countRequests({ status: 401 })).toBe(1);
    await expectNoSecrets(error, wrong);
  });

  it('403 when the member lacks the right → forbidden with ConnectWise code and message', async () => {
    const limited = clientFor(ctx.sim, LIMITED);
    const [company] = await ctx.client.companies.list({ pageSize: 1 });
    const error = await rejectionOf(
      limited.agreements.create({ name: unique('Denied'), company: { id: company?.id }, type: { id: 1 }, contact: { id: 1 } }),
    );
    expect(error).toMatchObject({ kind: 'forbidden', status: 403, code: 'Security', method: 'POST', path: '/finance/agreements' });
    expect((error as ConnectWiseError).message).toMatch(/security/i);
    await expectNoSecrets(error, LIMITED);
  });

  it('404 for a missing record → not-found', async () => {
    const error = await rejectionOf(ctx.client.companies.get(987654321));
    expect(error).toMatchObject({ kind: 'not-found', status: 404, path: '/company/companies/987654321' });
    await expectNoSecrets(error);
  });

  it('400 InvalidObject → invalid, with the validation errors', async () => {
    const error = await rejectionOf(ctx.client.companies.create({ identifier: unique('NoName') } as never));
    expect(error).toMatchObject({ kind: 'invalid', status: 400, code: 'InvalidObject' });
    expect((error as ConnectWiseError).errors.length).toBeGreaterThan(0);
    expect((error as ConnectWiseError).errors[0]).toHaveProperty('code');
    await expectNoSecrets(error);
  });

  it('a duplicate identifier → object-exists, and the POST is not repeated', async () => {
    const identifier = unique('DUP');
    await ctx.client.companies.create({ identifier, name: 'Dup one', addressLine1: '1 Main St' });
    ctx.sim.resetRequests();
    const error = await rejectionOf(ctx.client.companies.create({ identifier, name: 'Dup two', addressLine1: '1 Main St' }));
    expect(error).toMatchObject({ kind: 'object-exists', status: 400, code: 'InvalidObject' });
    expect((error as ConnectWiseError).errors.some((e) => e.code === 'ObjectExists')).toBe(true);
    expect(ctx.sim.countRequests({ method: 'POST' })).toBe(1);
    await expectNoSecrets(error);
  });

  it('network failures carry no credentials either', async () => {
    ctx.sim.failNext({ count: 4, method: 'GET', path: /system\/info/, status: 500, drop: true }); // maxRetries 3 → 4 attempts
    const error = await rejectionOf(ctx.client.system.info());
    expect(error).toMatchObject({ kind: 'network', method: 'GET', path: '/system/info' });
    await expectNoSecrets(error);
  });

  it('no answer within requestTimeoutMs → timeout after the retries', async () => {
    const impatient = clientFor(ctx.sim, DEMO, { requestTimeoutMs: 60, maxRetries: 1 });
    await impatient.codebase();
    ctx.sim.setFaults({ latencyMs: 250 });
    try {
      const error = await rejectionOf(impatient.system.info());
      expect(error).toMatchObject({ kind: 'timeout', method: 'GET', path: '/system/info', attempts: 2 });
      expect((error as ConnectWiseError).transient).toBe(true);
      await expectNoSecrets(error);
    } finally {
      ctx.sim.setFaults({ latencyMs: 0 });
    }
  });

  it('a printed client, its stats and its request events hold no credentials', async () => {
    const events: unknown[] = [];
    const watched = clientFor(ctx.sim, DEMO, { onRequest: (e) => events.push(e) });
    await watched.system.info();
    const texts = [
      inspect(watched, { depth: Infinity, showHidden: true }),
      JSON.stringify(watched),
      JSON.stringify(watched.stats()),
      JSON.stringify(events),
    ];
    for (const text of texts) for (const secret of secretsOf(DEMO)) expect(text).not.toContain(secret);
  });
});
