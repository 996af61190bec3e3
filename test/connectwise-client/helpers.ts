import { inspect } from 'node:util';
import { CodebaseCache, ConnectWiseClient, type ConnectWiseClientOptions, type ConnectWiseCredentials } from '@cwx/connectwise';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../apps/connectwise-sim/src/testing';
import { DestinationPolicy } from '@cwx/outbound';

export type Keys = Omit<ConnectWiseCredentials, 'site'>;
export const DEMO: Keys = { companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' };
export const LIMITED: Keys = { companyId: 'demo', publicKey: 'limited-public', privateKey: 'limited-private' };
export const CLIENT_ID = '0e4b8f8e-6d7a-4c41-9a5e-3f0c2b1d9a77';

export function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ host: '127.0.0.1', port: 0, ...options });
}

/** Small, fast retry timings; a fresh codebase cache per client so tests do not share discoveries. */
export function testOptions(sim: { baseUrl: string }, extra: Partial<ConnectWiseClientOptions> = {}): ConnectWiseClientOptions {
  return {
    clientId: CLIENT_ID,
    extraAllowedOrigins: [sim.baseUrl],
    destinations: new DestinationPolicy({ allowPrivate: true }), // the simulator listens on loopback
    requestTimeoutMs: 2_000,
    maxRetries: 3,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    codebaseCache: new CodebaseCache(),
    ...extra,
  };
}

/** One simulator (demo seed) and a demo client for the whole describe block; fields are set in beforeAll. */
export function useSimulator(options: SimulatorOptions = {}): { sim: RunningSimulator; client: ConnectWiseClient } {
  const ctx = {} as { sim: RunningSimulator; client: ConnectWiseClient };
  beforeAll(async () => {
    ctx.sim = await start(options);
    ctx.client = clientFor(ctx.sim);
  });
  afterAll(() => ctx.sim.close());
  return ctx;
}

export function clientFor(
  sim: RunningSimulator,
  credentials: Keys = DEMO,
  extra: Partial<ConnectWiseClientOptions> = {},
): ConnectWiseClient {
  return new ConnectWiseClient({ site: sim.host, ...credentials }, testOptions(sim, extra));
}

let counter = 0;
/** A prefix unique to this test run, for identifiers and names. */
export function unique(label: string): string {
  counter += 1;
  return `${label}${(Date.now() % 36 ** 5).toString(36)}${counter}`;
}

/** Resolves to the rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Every rendering of an error a logger might produce. */
export function renderings(error: unknown): string[] {
  const e = error as Error;
  return [
    JSON.stringify(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    String(error),
    e.stack ?? '',
    JSON.stringify(Object.getOwnPropertyNames(error).map((k) => [k, (error as Record<string, unknown>)[k]])),
  ];
}

export function secretsOf(credentials: Keys): string[] {
  const pair = `${credentials.companyId}+${credentials.publicKey}:${credentials.privateKey}`;
  return [credentials.privateKey, Buffer.from(pair).toString('base64'), pair];
}

/** Creates `n` companies named `${prefix}-0001…`, `parallel` at a time. */
export async function seedCompanies(client: ConnectWiseClient, prefix: string, n: number, parallel = 25): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < n; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, n - start) }, (_, i) => start + i);
    const created = await Promise.all(
      batch.map((i) => {
        const identifier = `${prefix}-${String(i).padStart(4, '0')}`;
        return client.companies.create({ identifier, name: `Seed ${identifier}`, addressLine1: '1 Main St' });
      }),
    );
    ids.push(...created.map((c) => c.id ?? 0));
  }
  return ids;
}
