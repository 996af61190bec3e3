import net from 'node:net';
import { validateCredentials } from '@cwx/connectwise';
import type { RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { DEMO, LIMITED, start, testOptions } from './helpers';

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('validateCredentials over real HTTP', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await start();
  });
  afterAll(() => sim.close());

  it('success: reports the ConnectWise version and codebase', async () => {
    const result = await validateCredentials({ site: sim.host, ...DEMO }, testOptions(sim));
    expect(result).toMatchObject({ outcome: 'ok', codebase: 'v2025_1/' });
    expect(result.outcome === 'ok' && result.version).toBeTruthy();
  });

  it('site not allowed: a login host gets the API host as a hint, without any request', async () => {
    sim.resetRequests();
    const result = await validateCredentials({ site: 'na.myconnectwise.net', ...DEMO }, testOptions(sim));
    expect(result).toEqual({ outcome: 'site-not-allowed', message: expect.stringContaining('use api-na.myconnectwise.net'), hint: 'use api-na.myconnectwise.net' });
    const other = await validateCredentials({ site: 'evil.example.com', ...DEMO }, testOptions(sim));
    expect(other.outcome).toBe('site-not-allowed');
    expect(sim.requests()).toHaveLength(0);
  });

  it('site unreachable: a closed port on 127.0.0.1 → refused', async () => {
    const port = await closedPort();
    const origin = `http://127.0.0.1:${port}`;
    const result = await validateCredentials({ site: `127.0.0.1:${port}`, ...DEMO }, testOptions({ baseUrl: origin }));
    expect(result).toMatchObject({ outcome: 'site-unreachable', reason: 'refused' });
  });

  it('unknown company', async () => {
    const result = await validateCredentials({ site: sim.host, ...DEMO, companyId: 'no-such-company' }, testOptions(sim));
    expect(result).toMatchObject({ outcome: 'unknown-company', message: expect.stringContaining('no-such-company') });
  });

  it('wrong keys', async () => {
    const result = await validateCredentials({ site: sim.host, ...DEMO, privateKey: 'wrong' }, testOptions(sim));
    expect(result.outcome).toBe('invalid-keys');
    expect(JSON.stringify(result)).not.toContain('wrong');
  });

  it('missing permissions: the limited member cannot add or edit agreements', async () => {
    const result = await validateCredentials({ site: sim.host, ...LIMITED }, testOptions(sim));
    expect(result.outcome).toBe('missing-permissions');
    if (result.outcome !== 'missing-permissions') return;
    expect(result.missing.map((m) => `${m.need}:${m.action}`)).toEqual(expect.arrayContaining(['agreements:add', 'agreements:edit']));
    expect(result.missing.every((m) => m.need === 'agreements')).toBe(true);
    expect(result.message).toMatch(/Finance › Agreements \(add\)/);
  });
});
