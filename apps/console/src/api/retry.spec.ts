import { describe, expect, it } from '@jest/globals';
import createClient from 'openapi-fetch';
import { retryAfterMs, retryOn429 } from './retry';

type Paths = {
  '/things': {
    post: {
      requestBody: { content: { 'application/json': { name: string } } };
      responses: { 200: { content: { 'application/json': { ok: boolean } } }; 429: { content: { 'application/json': { code: string } } } };
    };
  };
};

/** A fake API: answers 429 (with `retryAfter`) `refusals` times, then 200; records what each request carried. */
function fakeApi(refusals: number, retryAfter: string | null = '2') {
  const seen: { body: string; at: number }[] = [];
  const waits: number[] = [];
  let clock = 0;
  const fetch = async (request: Request): Promise<Response> => {
    seen.push({ body: await request.text(), at: clock });
    if (seen.length <= refusals) {
      return new Response(JSON.stringify({ code: 'rate_limited' }), { status: 429, headers: { 'content-type': 'application/json', ...(retryAfter === null ? {} : { 'retry-after': retryAfter }) } });
    }
    return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const sleep = (ms: number) => ((clock += ms), waits.push(ms), Promise.resolve());
  return { fetch, sleep, seen, waits };
}

function client(fake: ReturnType<typeof fakeApi>, options: Parameters<typeof retryOn429>[0] = {}) {
  const api = createClient<Paths>({ baseUrl: 'http://api.test', fetch: fake.fetch });
  api.use(retryOn429({ sleep: fake.sleep, ...options }));
  return api;
}

describe('retryOn429 (the console client under the API burst limit)', () => {
  it('retries after Retry-After and returns the first answer that is not 429, with the body sent again', async () => {
    const fake = fakeApi(2, '2');
    const { data, response } = await client(fake).POST('/things', { body: { name: 'a' } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ ok: true });
    expect(fake.waits).toEqual([2000, 2000]);
    expect(fake.seen.map((s) => s.body)).toEqual(['{"name":"a"}', '{"name":"a"}', '{"name":"a"}']);
  });

  it('stops after 3 tries in all and hands the last 429 to the caller', async () => {
    const fake = fakeApi(10, '1');
    const { error, response } = await client(fake).POST('/things', { body: { name: 'b' } });
    expect(response.status).toBe(429);
    expect(error).toEqual({ code: 'rate_limited' });
    expect(fake.seen).toHaveLength(3);
    expect(fake.waits).toEqual([1000, 1000]);
  });

  it('caps a long Retry-After, and waits the default when it is missing', async () => {
    const capped = fakeApi(1, '120');
    await client(capped, { maxWaitMs: 4000 }).POST('/things', { body: { name: 'c' } });
    expect(capped.waits).toEqual([4000]);
    const missing = fakeApi(1, null);
    await client(missing, { defaultWaitMs: 750 }).POST('/things', { body: { name: 'd' } });
    expect(missing.waits).toEqual([750]);
  });

  it('leaves other answers alone (no retry on 200 or on other errors)', async () => {
    const fake = fakeApi(0);
    await client(fake).POST('/things', { body: { name: 'e' } });
    expect(fake.seen).toHaveLength(1);
    expect(fake.waits).toEqual([]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
});
