import type { RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { clientFor, rejectionOf, start } from './helpers';

describe('codebase discovery over real HTTP', () => {
  let sim: RunningSimulator;

  beforeEach(async () => {
    sim = await start({ codebase: 'v2025_1/' });
  });
  afterEach(() => sim.close());

  it('discovers the codebase once and uses it for every call', async () => {
    const client = clientFor(sim);
    await client.system.info();
    await client.system.myMember();
    expect(await client.codebase()).toBe('v2025_1/');
    expect(sim.countRequests({ path: /\/login\/companyinfo\/demo/ })).toBe(1);
    const infoCall = sim.requests().find((r) => /system\/info/.test(r.path));
    expect(infoCall?.path).toMatch(/^\/v2025_1\/apis\/3\.0\/system\/info/);
  });

  it('after an upgrade, a 404 triggers one re-discovery and one retry on the new codebase', async () => {
    const client = clientFor(sim);
    await client.system.info();
    sim.setCodebase('v2025_2/');
    sim.resetRequests();

    await expect(client.system.info()).resolves.toHaveProperty('version');

    const calls = sim.requests().map((r) => `${r.status} ${r.path}`);
    expect(calls).toEqual([
      expect.stringMatching(/^404 \/v2025_1\/apis\/3\.0\/system\/info/),
      expect.stringMatching(/^200 \/login\/companyinfo\/demo/),
      expect.stringMatching(/^200 \/v2025_2\/apis\/3\.0\/system\/info/),
    ]);
    expect(await client.codebase()).toBe('v2025_2/');
  });

  it('a genuine 404 is reported after one re-discovery that finds the same codebase', async () => {
    const client = clientFor(sim);
    await client.system.info();
    sim.resetRequests();
    await expect(rejectionOf(client.agreements.get(987654321))).resolves.toMatchObject({ kind: 'not-found' });
    expect(sim.countRequests({ path: /\/login\/companyinfo/ })).toBe(1);
    expect(sim.countRequests({ path: /finance\/agreements\/987654321/ })).toBe(1);
  });

  it('a pinned codebase is used as given and never re-discovered', async () => {
    const client = clientFor(sim, undefined, { codebase: 'v2025_1/' });
    await client.system.info();
    expect(sim.countRequests({ path: /\/login\/companyinfo/ })).toBe(0);
  });
});
