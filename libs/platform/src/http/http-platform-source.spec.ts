import { rm } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import { inspect } from 'node:util';
import {
  PlatformInvalidDataError,
  PlatformNotFoundError,
  PlatformRequestRejectedError,
  PlatformUnauthorizedError,
  PlatformUnavailableError,
} from '../contract/errors';
import { createFixtureHandler, listen, SAMPLE_PARTNER_ID as P, sampleDataDir, type RunningFixtureServer } from '@cwx/platform-testing';
import { PlatformFolderStore } from '../folder/folder-store';
import { HttpPlatformSource } from './http-platform-source';

const TOKEN = 'tok-s3cr3t-do-not-leak';

/** One scripted answer, used instead of the fixture's for the next request. */
type Fault = { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | 'hang';

describe('HttpPlatformSource against a local HTTP server', () => {
  let dir: string;
  let server: RunningFixtureServer;
  const faults: Fault[] = [];
  const seen: { path: string; authorization?: string }[] = [];

  beforeAll(async () => {
    dir = await sampleDataDir();
    const fixture = createFixtureHandler(new PlatformFolderStore(dir), { token: TOKEN });
    const handler: RequestListener = (req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      const fault = faults.shift();
      if (fault === 'hang') return; // never answers: the client must time out
      if (!fault) return fixture(req, res);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.raw ?? JSON.stringify(fault.body ?? { code: 'SCRIPTED' }));
    };
    server = await listen(createServer(handler), '127.0.0.1', 0);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    faults.length = 0;
    seen.length = 0;
  });

  const client = (overrides: Partial<ConstructorParameters<typeof HttpPlatformSource>[0]> = {}) =>
    new HttpPlatformSource({ baseUrl: `${server.baseUrl}/`, token: TOKEN, retryBaseDelayMs: 1, maxRetries: 3, ...overrides });

  /** Everything a log line could show of an error. */
  const exposed = (error: unknown) => `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;

  it('sends the bearer token and builds paths from the base URL', async () => {
    await client().getSkus(P);
    expect(seen).toEqual([{ path: `/partners/${P}/skus`, authorization: `Bearer ${TOKEN}` }]);
  });

  it('answers not found for an id off the id rule, without a request (no path can be built from it)', async () => {
    for (const id of ['a/b?c', '..', 'a\u0000', '\ud800']) {
      await expect(client().getUsers(P, id)).rejects.toBeInstanceOf(PlatformNotFoundError);
      await expect(client().getSkus(id)).rejects.toBeInstanceOf(PlatformNotFoundError);
    }
    expect(seen).toEqual([]);
  });

  it('retries a GET after 5xx answers and returns the data', async () => {
    faults.push({ status: 503 }, { status: 502 });
    await expect(client().getPartner(P)).resolves.toMatchObject({ id: P });
    expect(seen).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    faults.push({ status: 429, headers: { 'retry-after': '0' } });
    await expect(client({ retryBaseDelayMs: 60_000, retryMaxDelayMs: 60_000 }).getSkus(P)).resolves.toHaveLength(3);
    expect(seen).toHaveLength(2);
  });

  it('gives up after the configured retries with a retryable error that counts attempts', async () => {
    faults.push(...Array.from({ length: 5 }, () => ({ status: 500 })));
    const error = await client({ maxRetries: 2 }).getSkus(P).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error).toMatchObject({ retryable: true, details: { status: 500, attempts: 3 } });
    expect(seen).toHaveLength(3);
  });

  it('times out a request that never answers, then retries it', async () => {
    faults.push('hang', 'hang');
    const error = await client({ timeoutMs: 100, maxRetries: 1 }).getPartner(P).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect((error as Error).message).toMatch(/timed out after 2 attempt/);
  });

  it('reports an unreachable platform as unavailable', async () => {
    const closed = await listen(createServer(), '127.0.0.1', 0);
    await closed.close();
    const error = await client({ baseUrl: closed.baseUrl, maxRetries: 1 }).getPartner(P).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error).toMatchObject({ details: { errorCode: 'ECONNREFUSED', attempts: 2 } });
  });

  it('maps a refused token to an unauthorized error that never shows the token', async () => {
    const error = await client({ token: `${TOKEN}-wrong` }).getSkus(P).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnauthorizedError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect(exposed(error)).not.toContain(TOKEN);
    expect(seen).toHaveLength(1); // 401 is not retried
  });

  it('never shows the token in errors of any kind, nor when the client itself is printed', async () => {
    faults.push({ status: 500 }, { status: 400 });
    const errors = await Promise.all([
      client({ maxRetries: 0 }).getSkus(P).catch((e: unknown) => e),
      client({ maxRetries: 0 }).getSkus(P).catch((e: unknown) => e),
    ]);
    for (const error of errors) expect(exposed(error)).not.toContain(TOKEN);
    expect(`${inspect(client(), { depth: 10, showHidden: true })} ${JSON.stringify(client())}`).not.toContain(TOKEN);
  });

  it('does not follow redirects (the token would travel with them)', async () => {
    faults.push({ status: 302, headers: { location: 'http://127.0.0.2:1/steal' } });
    const error = await client().getSkus(P).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestRejectedError);
    expect(seen).toHaveLength(1);
  });

  it('treats a 404 without the API error code as a wrong base URL, not as a missing account', async () => {
    faults.push({ status: 404, body: { message: 'Cannot GET' } });
    const error = await client().getSubscriptions(P, 'acc-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformRequestRejectedError);
    expect((error as Error).message).toContain('PLATFORM_API_URL');
  });

  it('validates response bodies and names the path and the field', async () => {
    faults.push({ status: 200, body: { items: [{ planId: 'p', sku: 'X', quantity: 1, unitCost: '9.99' }] } });
    const error = await client().getSubscriptions(P, 'acc-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformInvalidDataError);
    expect(error).toMatchObject({ source: `GET /partners/${P}/accounts/acc-1/subscriptions` });
    expect((error as PlatformInvalidDataError).problems.map((p) => p.field)).toEqual(['items[0].unitCost']);
  });

  it('rejects a body that is not JSON as invalid data', async () => {
    faults.push({ status: 200, raw: '{"items": [' });
    await expect(client().getSkus(P)).rejects.toBeInstanceOf(PlatformInvalidDataError);
  });
});
