import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformError } from '../../libs/platform/src/contract/errors';
import { LONE_SURROGATE } from '../../libs/platform/src/contract/normalize';
import type { PlatformSource } from '../../libs/platform/src/contract/platform-source';
import { FolderPlatformSource } from '../../libs/platform/src/folder/folder-platform-source';
import { HttpPlatformSource } from '../../libs/platform/src/http/http-platform-source';
import { writeFolder } from '@cwx/platform-testing';
import { ID_PATTERN } from '../../libs/platform/src/wire/schemas';

/**
 * Whatever the platform sends (a data folder's files, the API's bodies) and whatever ids a caller passes,
 * both adapters either return data that keeps the contract (ids on the id rule, text without NUL or lone
 * surrogates, finite non-negative numbers) or fail with a PlatformError: never a TypeError, a RangeError or a
 * stack overflow that would reach a caller as an unexplained 500.
 */
const RUNS = 60;

const hostileText = fc.oneof(
  fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', 'x\udfff', '..', '../../etc/passwd', '=1+1', 'x'.repeat(200)),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const hostileId = fc.oneof(hostileText, fc.constantFrom('acc-1', 'p.1', 'A_b-c'));
const hostileNumber = fc.oneof(fc.constantFrom(-1, 0, 1.5, 1e308, -1e308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, 1e-9), fc.double({ noNaN: true, noDefaultInfinity: true }));
const deep = fc.integer({ min: 1, max: 2_000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown);
const anyValue = fc.oneof(hostileText, hostileNumber, fc.constant(null), fc.boolean(), deep, fc.jsonValue({ maxDepth: 3 }));

const account = fc.record({ id: fc.oneof(hostileId, anyValue), name: fc.oneof(hostileText, anyValue), status: fc.oneof(fc.constantFrom('active', 'suspended', 'cancelled'), anyValue) }, { requiredKeys: [] });
const planLine = fc.record({ planId: fc.oneof(hostileText, anyValue), sku: fc.oneof(hostileText, anyValue), quantity: fc.oneof(hostileNumber, anyValue), unitCost: fc.oneof(hostileNumber, anyValue) }, { requiredKeys: [] });
const user = fc.record({ id: hostileText, email: fc.oneof(hostileText, fc.constant('a\u0000@b.test')), displayName: hostileText, services: fc.array(fc.record({ name: hostileText, enabled: fc.boolean() }), { maxLength: 3 }) }, { requiredKeys: [] });

/** A document that is valid-looking, half valid, or anything at all. */
const doc = <T>(items: fc.Arbitrary<T>, extra: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc.oneof(
    fc.record({ items: fc.array(items, { maxLength: 6 }), ...extra }),
    anyValue,
    fc.record({ items: anyValue }),
  );

const partnerFiles = fc.record({
  'partner.json': fc.oneof(fc.record({ id: fc.constant('PARTNER'), name: hostileText, currency: fc.constantFrom('USD', 'usd', '\u0000') }), anyValue),
  'skus.json': doc(fc.record({ sku: hostileText, name: hostileText, description: hostileText, unit: hostileText }, { requiredKeys: ['sku', 'name'] })),
  'retail-prices.json': doc(fc.record({ sku: hostileText, price: hostileNumber })),
  'accounts.json': doc(account),
  'accounts/acc-1.json': fc.oneof(fc.record({ subscriptions: fc.array(planLine, { maxLength: 4 }), users: fc.array(user, { maxLength: 3 }) }), anyValue),
});

/** Every string in the result keeps the contract; every id is on the rule. */
function assertContract(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000') || LONE_SURROGATE.test(value)) throw new Error(`${path} carries NUL or a lone surrogate`);
    if (/(^|\.)id$/.test(path) && !ID_PATTERN.test(value)) throw new Error(`${path} is off the id rule: ${JSON.stringify(value)}`);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || (/(quantity|unitCost|price)$/.test(path) && value < 0)) throw new Error(`${path} is ${value}`);
    return;
  }
  if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) assertContract(v, path ? `${path}.${k}` : k);
}

/** Calls every method of the contract; each must keep it or fail with a PlatformError. */
async function exercise(source: PlatformSource, partnerId: string, accountId: string): Promise<void> {
  const calls: (() => Promise<unknown>)[] = [
    () => source.getPartner(partnerId),
    () => source.listAccounts(partnerId),
    () => source.listAccounts(partnerId, { page: 2, pageSize: 1 }),
    () => source.getSkus(partnerId),
    () => source.getRetailPrices(partnerId),
    () => source.getSubscriptions(partnerId, accountId),
    () => source.getUsers(partnerId, accountId),
  ];
  for (const call of calls) {
    let result: unknown;
    try {
      result = await call();
    } catch (error) {
      if (error instanceof PlatformError) continue;
      throw error;
    }
    assertContract(result);
  }
}

describe('platform adapters under hostile data and ids (property)', () => {
  let dir: string;
  let server: Server;
  let baseUrl: string;
  /** What the HTTP server answers next: a body per path suffix. */
  let bodies: Record<string, unknown> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cwx-platform-hostile-'));
    server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const key = Object.keys(bodies).find((suffix) => path.endsWith(suffix)) ?? '';
      const body = bodies[key];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(body === undefined ? '{"code":"PARTNER_NOT_FOUND"}' : JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('folder adapter: hostile files and ids', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(partnerFiles, hostileId, hostileId, async (files, partnerGuess, accountId) => {
        // A fresh partner folder per run: the store's cache is keyed by modification time and size.
        const partnerId = `p-${(n += 1)}`;
        const withId = { ...files, 'partner.json': JSON.parse(JSON.stringify(files['partner.json'] ?? null).replace('"PARTNER"', JSON.stringify(partnerId))) as unknown };
        await writeFolder(dir, partnerId, withId);
        const source = new FolderPlatformSource(dir);
        await exercise(source, partnerId, 'acc-1');
        await exercise(source, partnerGuess, accountId);
      }),
      { numRuns: RUNS, seed: 20261204 },
    );
  }, 120_000);

  it('HTTP adapter: hostile bodies and ids', async () => {
    const source = new HttpPlatformSource({ baseUrl, token: 't', maxRetries: 0, timeoutMs: 2000 });
    await fc.assert(
      fc.asyncProperty(partnerFiles, fc.record({ page: fc.oneof(hostileNumber, anyValue), pageSize: fc.oneof(hostileNumber, anyValue), total: fc.oneof(hostileNumber, anyValue) }), hostileId, hostileId, async (files, paging, partnerId, accountId) => {
        const accounts = files['accounts.json'];
        bodies = {
          '/accounts': typeof accounts === 'object' && accounts !== null && !Array.isArray(accounts) ? { ...accounts, ...paging } : accounts,
          '/skus': files['skus.json'],
          '/retail-prices': typeof files['retail-prices.json'] === 'object' && files['retail-prices.json'] !== null ? { currency: 'USD', ...(files['retail-prices.json']) } : files['retail-prices.json'],
          '/subscriptions': { items: (files['accounts/acc-1.json'] as { subscriptions?: unknown } | null)?.subscriptions ?? files['accounts/acc-1.json'] },
          '/users': { items: (files['accounts/acc-1.json'] as { users?: unknown } | null)?.users ?? null },
          '': { id: 'PARTNER', name: 'x', currency: 'USD', ...(typeof files['partner.json'] === 'object' ? (files['partner.json']) : {}) },
        };
        await exercise(source, 'PARTNER', 'acc-1');
        await exercise(source, partnerId, accountId);
      }),
      { numRuns: RUNS, seed: 20261204 },
    );
  }, 120_000);
});
