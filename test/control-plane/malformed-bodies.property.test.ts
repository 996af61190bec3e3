import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { DatabaseHandle } from '@cwx/persistence';
import { writeFolder } from '@cwx/platform-testing';
import { startSimulator, type RunningSimulator } from '../../apps/connectwise-sim/src/testing';
import { DATABASE_HANDLE } from '../../apps/control-plane/src/database/database.module';
import { partnerToken, startTestControlPlane, type TestControlPlane } from '../support/control-plane';

const PARTNER = 'msp-fuzz';

interface Endpoint {
  method: 'put' | 'post' | 'patch';
  path: string;
  /** A valid body; mutations of it are invalid by construction. */
  valid: Record<string, unknown>;
  /** Fields whose absence makes the body invalid. */
  required: string[];
}

/** Values of the wrong type for any field of the DTOs (no field accepts all of them). */
const wrongValue = fc.oneof(
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.string({ maxLength: 20 }).map((s) => ({ nested: s })),
  fc.double({ noNaN: false }),
  fc.constant('not-a-number'),
  fc.constant(true),
);

/**
 * Malformed bodies sent to every write endpoint that takes a body: each answer is a 4xx (never a 5xx,
 * never a success), and nothing changes — not in the database, not in ConnectWise.
 */
describe('malformed bodies on every write endpoint (property)', () => {
  let sim: RunningSimulator;
  let cp: TestControlPlane;
  let dataDir: string;
  let token: string;
  let endpoints: Endpoint[];
  const http = () => request(cp.app.getHttpServer());

  async function snapshot(): Promise<string> {
    const handle = cp.app.get<DatabaseHandle>(DATABASE_HANDLE);
    const tables = ['partners', 'integrations', 'connectwise_credentials', 'export_settings', 'account_mappings', 'runs', 'outbox', 'export_log'];
    const parts: unknown[] = [];
    for (const table of tables) {
      parts.push(await handle.db.execute(sql.raw(`select * from ${table} order by 1, 2`)));
    }
    const writes = sim.requests().filter((r) => r.method !== 'GET').length;
    return JSON.stringify({ parts, writes }, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
  }

  beforeAll(async () => {
    sim = await startSimulator();
    dataDir = await mkdtemp(join(tmpdir(), 'cwx-fuzz-'));
    await writeFolder(dataDir, PARTNER, {
      'partner.json': { id: PARTNER, name: 'Fuzz MSP', currency: 'USD' },
      'skus.json': { items: [] },
      'retail-prices.json': { items: [] },
      'accounts.json': { items: [{ id: 'acc-1', name: 'Acme Corp', status: 'active' }, { id: 'acc-2', name: 'Globex', status: 'active' }] },
    });
    cp = await startTestControlPlane({
      config: { connectwise: { clientId: 'fuzz', extraAllowedOrigins: [sim.baseUrl], requestTimeoutMs: 2000, maxRetries: 0, retryMaxDelayMs: 10 }, platform: { kind: 'folder', dataDir } },
    });
    token = await partnerToken(PARTNER);
    const as = (req: request.Test) => req.auth(token, { type: 'bearer' });
    await as(http().put(`/partners/${PARTNER}/integration/credentials`)).send({ site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' }).expect(200);
    const settings = { exportMode: 'manual', timeZone: 'UTC', data: { products: true, quantity: true, cost: false, retailPrice: false, usersList: true }, disappearedSku: 'zero', connectwiseDefaults: {} };
    await as(http().put(`/partners/${PARTNER}/integration/settings`)).send(settings).expect(200);
    const accounts = (await as(http().get(`/partners/${PARTNER}/accounts`)).expect(200)).body.items as { accountId: string; version: number }[];
    const first = accounts.find((a) => a.accountId === 'acc-1')!;
    await as(http().put(`/partners/${PARTNER}/accounts/acc-1/mapping`)).send({ version: first.version, companyId: 2, agreementId: 1 }).expect(200);
    endpoints = [
      { method: 'put', path: '/integration/credentials', valid: { site: sim.baseUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'other-key' }, required: ['site', 'companyId', 'publicKey', 'privateKey'] },
      { method: 'put', path: '/integration/settings', valid: { ...settings, version: 1, exportMode: 'daily', dailyTime: '03:00' }, required: ['exportMode', 'timeZone', 'data', 'disappearedSku', 'connectwiseDefaults'] },
      { method: 'put', path: '/accounts/acc-2/mapping', valid: { version: 1, companyId: 3, agreementId: 2 }, required: ['version'] },
      { method: 'post', path: '/accounts/acc-1/unmap', valid: { version: 2 }, required: ['version'] },
      { method: 'patch', path: '/accounts/acc-1/export', valid: { version: 2, exportEnabled: false }, required: ['version', 'exportEnabled'] },
      { method: 'post', path: '/accounts/export', valid: { items: [{ accountId: 'acc-1', version: 2, exportEnabled: false }] }, required: ['items'] },
      { method: 'post', path: '/accounts/acc-2/suggestion/accept', valid: { version: 1, agreementId: 2 }, required: ['version'] },
      { method: 'post', path: '/accounts/acc-2/suggestion/reject', valid: { version: 1 }, required: ['version'] },
    ];
  });

  afterAll(async () => {
    await cp.close();
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function malformed(endpoint: Endpoint): fc.Arbitrary<{ kind: string; body: unknown }> {
    const keys = Object.keys(endpoint.valid);
    return fc.oneof(
      // a field of the wrong type
      fc.record({ key: fc.constantFrom(...keys), value: wrongValue }).map(({ key, value }) => ({ kind: `wrong ${key}`, body: { ...endpoint.valid, [key]: value } })),
      // a required field missing
      fc.constantFrom(...endpoint.required).map((key) => {
        const body: Record<string, unknown> = { ...endpoint.valid };
        delete body[key];
        return { kind: `missing ${key}`, body };
      }),
      // an unknown field
      fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !keys.includes(k) && /^[a-z]\w*$/i.test(k)).map((k) => ({ kind: `unknown ${k}`, body: { ...endpoint.valid, [k]: 1 } })),
      // not an object at all
      fc.oneof(fc.array(fc.integer(), { maxLength: 3 }), fc.string({ maxLength: 10 }), fc.integer()).map((body) => ({ kind: 'not an object', body })),
    );
  }

  it('answers 4xx and changes nothing, for every endpoint', async () => {
    const before = await snapshot();
    for (const endpoint of endpoints) {
      await fc.assert(
        fc.asyncProperty(malformed(endpoint), async ({ kind, body }) => {
          const res = await http()[endpoint.method](`/partners/${PARTNER}${endpoint.path}`)
            .auth(token, { type: 'bearer' })
            .set('content-type', 'application/json')
            .send(JSON.stringify(body));
          if (res.status < 400 || res.status >= 500) {
            throw new Error(`${endpoint.method.toUpperCase()} ${endpoint.path} (${kind}) answered ${res.status}: ${JSON.stringify(res.body)}`);
          }
        }),
        { numRuns: 25, seed: 20261126 },
      );
    }
    expect(await snapshot()).toBe(before);
  }, 120_000);

  it('answers 400 to bodies that are not JSON at all', async () => {
    for (const endpoint of endpoints) {
      const res = await http()[endpoint.method](`/partners/${PARTNER}${endpoint.path}`)
        .auth(token, { type: 'bearer' })
        .set('content-type', 'application/json')
        .send('{"version": 1,,}');
      expect(res.status).toBe(400);
    }
  });
});
