import { ConnectWiseClient, cwString } from '@cwx/connectwise';
import type { RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { startDropProxy } from './drop-proxy';
import { DEMO, clientFor, rejectionOf, start, testOptions, unique } from './helpers';

describe('retries and safe creates over real HTTP', () => {
  let sim: RunningSimulator;
  let client: ConnectWiseClient;
  const throttles: number[] = [];
  let catalogBase: { subcategory: { id?: number | null }; type: { id?: number | null } };

  beforeAll(async () => {
    sim = await start();
    client = clientFor(sim, undefined, { onThrottle: (ms) => throttles.push(ms) });
    const [subcategory] = await client.procurement.listSubcategories();
    const [type] = await client.procurement.listProductTypes();
    catalogBase = { subcategory: { id: subcategory?.id }, type: { id: type?.id } };
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    throttles.length = 0;
    sim.resetRequests();
    client.resetStats();
  });

  function newItem(identifier: string) {
    return { identifier, description: `Item ${identifier}`, customerDescription: `Customer ${identifier}`, ...catalogBase };
  }

  async function catalogCount(identifier: string): Promise<number> {
    return client.catalog.count({ conditions: `identifier = ${cwString(identifier)}` });
  }

  it('429 with Retry-After: waits (capped), tells onThrottle the whole Retry-After (the fleet holds off that long), then succeeds', async () => {
    sim.failNext({ count: 1, method: 'GET', path: /system\/info/, status: 429, headers: { 'Retry-After': '7' }, body: { error: 'ConnectWiseAPI', message: 'Too many requests.' } });
    const info = await client.system.info();
    expect(info.version).toBeTruthy();
    expect(throttles).toEqual([7_000]); // this client's own retry came after retryMaxDelayMs (50 ms)
    expect(client.stats()).toMatchObject({ throttled: 1, retries: 1, byMethodAndOutcome: { 'GET throttled': 1, 'GET ok': 1 } });
    expect(sim.countRequests({ path: /system\/info/ })).toBe(2);
  });

  it('429 honours Retry-After seconds when under the cap', async () => {
    const patient = clientFor(sim, undefined, { retryMaxDelayMs: 5_000 });
    sim.failNext({ count: 1, method: 'GET', path: /system\/info/, status: 429, headers: { 'Retry-After': '1' } });
    const started = Date.now();
    await patient.system.info();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('a POST refused with 429 is sent again and creates exactly one record', async () => {
    const identifier = unique('T429');
    sim.failNext({ count: 1, method: 'POST', path: /procurement\/catalog/, status: 429, headers: { 'Retry-After': '0' } });
    const item = await client.catalog.create(newItem(identifier));
    expect(item.identifier).toBe(identifier);
    expect(sim.countRequests({ method: 'POST', path: /procurement\/catalog/ })).toBe(2);
    expect(await catalogCount(identifier)).toBe(1);
  });

  it('gives up after maxRetries 429s with a throttled error', async () => {
    sim.failNext({ count: 4, method: 'GET', path: /system\/info/, status: 429, headers: { 'Retry-After': '0' } });
    const error = await rejectionOf(client.system.info());
    expect(error).toMatchObject({ kind: 'throttled', status: 429, attempts: 4, retryAfterSeconds: 0 });
    expect(throttles).toEqual([0, 0, 0, 0]); // the last 429 is announced too
    expect(sim.countRequests({ path: /system\/info/ })).toBe(4);
  });

  it('500 then success on a GET', async () => {
    sim.failNext({ count: 1, method: 'GET', path: /system\/info/, status: 500, body: { code: 'ConnectWiseApi', message: 'A timeout has occured. Please try again.' } });
    await expect(client.system.info()).resolves.toHaveProperty('version');
    expect(client.stats().byMethodAndOutcome).toMatchObject({ 'GET server': 1, 'GET ok': 1 });
  });

  it('a POST answered 500 is not re-sent blindly: re-find first, then create once', async () => {
    const identifier = unique('T500');
    sim.failNext({ count: 1, method: 'POST', path: /procurement\/catalog/, status: 500 });
    const item = await client.catalog.create(newItem(identifier));
    expect(item.identifier).toBe(identifier);
    expect(client.stats()).toMatchObject({ refinds: 1, refindHits: 0 });
    expect(await catalogCount(identifier)).toBe(1);
  });

  it('a dropped connection on a POST that did create → re-found, no duplicate, no second POST', async () => {
    const proxy = await startDropProxy(sim.baseUrl);
    try {
      const viaProxy = new ConnectWiseClient({ site: proxy.host, ...DEMO }, testOptions(proxy));
      const identifier = unique('TDROP');
      proxy.loseNextAnswer({ method: 'POST', path: /\/procurement\/catalog$/ });
      const item = await viaProxy.catalog.create(newItem(identifier));
      expect(item).toMatchObject({ identifier });
      expect(typeof item.id).toBe('number');
      expect(sim.countRequests({ method: 'POST', path: /procurement\/catalog/ })).toBe(1);
      expect(viaProxy.stats()).toMatchObject({ refinds: 1, refindHits: 1, byMethodAndOutcome: expect.objectContaining({ 'POST network': 1 }) });
      expect(await catalogCount(identifier)).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('a lost answer to an addition POST → re-found by product on the agreement, never a second addition', async () => {
    const proxy = await startDropProxy(sim.baseUrl);
    try {
      const viaProxy = new ConnectWiseClient({ site: proxy.host, ...DEMO }, testOptions(proxy));
      const [agreement] = await client.agreements.list({ pageSize: 1 });
      const agreementId = agreement?.id ?? 0;
      const product = await client.catalog.create(newItem(unique('TADD')));
      proxy.loseNextAnswer({ method: 'POST', path: /\/additions$/ });
      const addition = await viaProxy.additions.create(agreementId, { product: { id: product.id }, billCustomer: 'Billable', quantity: 3 });
      expect(addition).toMatchObject({ product: { id: product.id }, quantity: 3 });
      expect(sim.countRequests({ method: 'POST', path: /\/additions$/ })).toBe(1);
      expect(await client.additions.count(agreementId, { conditions: `product/id = ${product.id ?? 0}` })).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("the simulator's sliding-window limiter: Retry-After read, waits capped, every 429 announced with its Retry-After, then throttled", async () => {
    const limited = await start({ rateLimitPerMinute: 3 });
    try {
      const waits: number[] = [];
      const impatient = clientFor(limited, DEMO, { retryMaxDelayMs: 20, maxRetries: 2, onThrottle: (ms) => waits.push(ms) });
      for (let i = 0; i < 3; i += 1) await impatient.system.info(); // the window's three admissions
      const error = await rejectionOf(impatient.system.info());
      expect(error).toMatchObject({ kind: 'throttled', status: 429, attempts: 3 });
      expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(50);
      expect(waits).toHaveLength(3);
      for (const ms of waits) expect(ms).toBeGreaterThan(50_000); // what ConnectWise asked, not the 20 ms cap
      expect(limited.countRequests({ status: 429 })).toBe(3);
    } finally {
      await limited.close();
    }
  });

  it("the simulator's own drop (before processing) → re-find misses, created once", async () => {
    const identifier = unique('TDROP0');
    sim.failNext({ count: 1, method: 'POST', path: /procurement\/catalog/, status: 201, drop: true });
    const item = await client.catalog.create(newItem(identifier));
    expect(item).toMatchObject({ identifier });
    expect(client.stats()).toMatchObject({ refinds: 1, refindHits: 0 });
    expect(sim.countRequests({ method: 'POST', path: /procurement\/catalog/ })).toBe(2);
    expect(await catalogCount(identifier)).toBe(1);
  });

  it('without a re-find, an ambiguous POST failure is thrown as outcome-unknown and not repeated', async () => {
    const [company] = await client.companies.list({ pageSize: 1 });
    sim.failNext({ count: 1, method: 'POST', path: /company\/contacts/, status: 503 });
    const error = await rejectionOf(client.contacts.create({ firstName: 'Ada', lastName: unique('L'), company: { id: company?.id } }));
    expect(error).toMatchObject({ kind: 'server', status: 503, outcomeUnknown: true });
    expect(sim.countRequests({ method: 'POST', path: /company\/contacts/ })).toBe(1);
  });

  it('a PATCH is retried after a 500 (replace operations are idempotent)', async () => {
    const item = await client.catalog.create(newItem(unique('TPATCH')));
    sim.failNext({ count: 1, method: 'PATCH', status: 502 });
    const patched = await client.catalog.patch(item.id ?? 0, [
      { op: 'replace', path: 'price', value: 12.5 },
      { op: 'replace', path: 'cost', value: 7 },
    ]);
    expect(patched).toMatchObject({ price: 12.5, cost: 7 });
    expect(sim.countRequests({ method: 'PATCH' })).toBe(2);
  });
});
