/**
 * The simulator for tests, benchmarks and the demo, in-process:
 *
 *   const sim = await startSimulator();
 *   // ConnectWise site = sim.host, company id 'demo', keys demo-public / demo-private, any clientId
 *   sim.countRequests({ method: 'POST', path: /additions/ });
 *   await sim.close();
 *
 * `state` is the live store. Read it with `state.list(key, parentId?)` / `state.get(key, id)` (keys:
 * 'company/companies', 'company/contacts', 'company/companies/statuses', 'company/companies/types',
 * 'finance/agreements', 'finance/agreements/types', 'finance/agreements/additions',
 * 'finance/billingCycles', 'procurement/catalog', 'procurement/categories',
 * 'procurement/subcategories', 'procurement/types', 'procurement/unitOfMeasures',
 * 'system/documents') or the typed accessors `companies()`, `contacts()`, `agreements()`,
 * `additions(agreementId?)`, `catalogItems()`, `documents()`, `documentContent(id)`, `snapshot()`.
 * Records are stored form: references as `{id, name|identifier}` without `_info` hrefs, derived
 * fields (extPrice, agreementStatus…) filled.
 */
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createSimulatorApp } from './app.module';
import type { FailNextOptions, HeldRequest } from './http/faults';
import type { RecordedRequest, RequestFilter } from './http/recorder';
import { demoSeed } from './simulator/demo-seed';
import type { SimSeed } from './simulator/seed';
import { Simulator } from './simulator/simulator';
import type { SimState } from './simulator/state';

export interface SimulatorOptions {
  /** Default: the demo seed. */
  seed?: SimSeed;
  /** Default 'v2025_1/'. */
  codebase?: string;
  /** Default 0 = unlimited. */
  rateLimitPerMinute?: number;
  faults?: { timeoutRate?: number; dropRate?: number; latencyMs?: number };
  /** Seeds the random faults (rates), so the same requests get the same faults; default unseeded. */
  faultSeed?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 = an ephemeral port. */
  port?: number;
}

export interface RunningSimulator {
  /** e.g. 'http://127.0.0.1:43123' (no trailing slash). */
  baseUrl: string;
  /** '127.0.0.1:43123': what a ConnectWise "site" is. */
  host: string;
  state: SimState;
  requests(): readonly RecordedRequest[];
  countRequests(filter?: { method?: string; path?: RegExp | string; status?: number }): number;
  resetRequests(): void;
  /** Calls `listener` with each request as it is recorded (answer sent or connection dropped); returns the unsubscribe. */
  onRequest(listener: (request: RecordedRequest) => void): () => void;
  setRateLimit(perMinute: number): void;
  setFaults(faults: { timeoutRate?: number; dropRate?: number; latencyMs?: number }): void;
  /** Simulates a cloud upgrade. */
  setCodebase(codebase: string): void;
  /**
   * Makes the next `count` (default 1) requests matching method/path fail with `status` (429 gets
   * `Retry-After: 1` unless headers say otherwise; 500 gets the ConnectWiseApi timeout body), or be
   * dropped with `drop: true`.
   */
  failNext(options: FailNextOptions): void;
  /** Forgets every failNext still queued (and releases every held request). */
  clearFailNext(): void;
  /** Holds the next request matching method/path before answering it, until `release()` (a test control). */
  holdNext(options: { method?: string; path?: RegExp }): HeldRequest;
  /** Back to the seed data (the request log is kept). */
  reset(): void;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = new Simulator({
    seed: options.seed ?? demoSeed,
    codebase: options.codebase ?? 'v2025_1/',
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    faults: options.faults,
    ...(options.faultSeed !== undefined ? { faultSeed: options.faultSeed } : {}),
  });
  const app: INestApplication = await createSimulatorApp(simulator, { logLevel: 'silent', quiet: true });
  const bindHost = options.host ?? '127.0.0.1';
  await app.listen(options.port ?? 0, bindHost);
  const address = (app.getHttpServer() as { address(): AddressInfo }).address();
  const host = `${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${address.port}`;
  return {
    baseUrl: `http://${host}`,
    host,
    state: simulator.state,
    requests: () => simulator.recorder.all(),
    countRequests: (filter?: RequestFilter) => simulator.recorder.count(filter),
    resetRequests: () => simulator.recorder.reset(),
    onRequest: (listener) => simulator.recorder.onRecord(listener),
    setRateLimit: (perMinute) => simulator.setRateLimit(perMinute),
    setFaults: (faults) => simulator.setFaults(faults),
    setCodebase: (codebase) => simulator.setCodebase(codebase),
    failNext: (failure) => simulator.failNext(failure),
    clearFailNext: () => simulator.faults.clear(),
    holdNext: (options) => simulator.faults.holdNext(options),
    reset: () => simulator.reset(),
    close: () => app.close(),
  };
}

/**
 * The demo seed plus companies that already exist in ConnectWise (each with an accounts-payable
 * contact), e.g. a generated partner's customers: ids are offset by 1000 to stay clear of the seed's.
 */
export function demoSeedWithCompanies(companies: readonly { id: number; identifier: string; name: string }[]): SimSeed {
  const seed = structuredClone(demoSeed);
  const rows = seed.records['company/companies'] ?? [];
  const contacts = seed.records['company/contacts'] ?? [];
  let contactId = 1000;
  for (const company of companies) {
    const id = 1000 + company.id;
    rows.push({ id, identifier: company.identifier, name: company.name.slice(0, 50), city: 'Springfield', types: [{ id: 1 }] });
    contacts.push({ id: contactId++, firstName: 'Accounts', lastName: 'Payable', company: { id } });
  }
  seed.records['company/companies'] = rows;
  seed.records['company/contacts'] = contacts;
  return seed;
}

export { demoSeed, Simulator };
export { existingMspSeed, type ExistingMspInput, type ExistingMspSeed } from './simulator/existing-msp-seed';
export type { SimSeed, SimState, RecordedRequest, FailNextOptions };
export type { SimMember, SimPermission, SimRecord, SimSecurityRole, SimTenant } from './simulator/state';
