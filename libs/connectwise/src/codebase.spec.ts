import { CodebaseCache, discoverCodebase, normalizeCodebase } from './codebase';
import { ConnectWiseError } from './errors';

describe('normalizeCodebase', () => {
  it('accepts ConnectWise codebases and adds the trailing slash', () => {
    expect(normalizeCodebase('v2025_1/')).toBe('v2025_1/');
    expect(normalizeCodebase('v4_6_release')).toBe('v4_6_release/');
    expect(normalizeCodebase('/v2017_3/')).toBe('v2017_3/');
  });

  it('refuses anything that would change the request target', () => {
    for (const bad of ['../', '//evil.com/', 'https://evil.com/', 'a/b/', '', 'v1?x=1/', 42, null, '..hidden/']) {
      expect(normalizeCodebase(bad)).toBeUndefined();
    }
  });
});

describe('CodebaseCache', () => {
  it('asks once per site and company, shares concurrent lookups, and re-discovers on demand', async () => {
    const cache = new CodebaseCache();
    let calls = 0;
    let codebase = 'v2025_1/';
    const fetcher = () => {
      calls += 1;
      return Promise.resolve({ Codebase: codebase });
    };
    const [a, b] = await Promise.all([cache.resolve('https://x', 'demo', fetcher), cache.resolve('https://x', 'demo', fetcher)]);
    expect([a, b, calls]).toEqual(['v2025_1/', 'v2025_1/', 1]);
    await cache.resolve('https://x', 'demo', fetcher);
    expect(calls).toBe(1);
    await cache.resolve('https://x', 'other', fetcher);
    expect(calls).toBe(2);
    codebase = 'v2025_2/';
    expect(await cache.discover('https://x', 'demo', fetcher)).toBe('v2025_2/');
    expect(cache.get('https://x', 'demo')).toBe('v2025_2/');
  });

  it('does not cache failures', async () => {
    const cache = new CodebaseCache();
    await expect(cache.resolve('https://x', 'demo', () => Promise.resolve(null))).rejects.toMatchObject({ kind: 'unknown-company' });
    expect(await cache.resolve('https://x', 'demo', () => Promise.resolve({ Codebase: 'v2025_1/' }))).toBe('v2025_1/');
  });
});

describe('discoverCodebase', () => {
  it('reports an unknown company and an unusable answer', async () => {
    await expect(discoverCodebase('https://x', 'nope', () => Promise.resolve(null))).rejects.toBeInstanceOf(ConnectWiseError);
    await expect(discoverCodebase('https://x', 'demo', () => Promise.resolve({ Codebase: '../../' }))).rejects.toMatchObject({ kind: 'unexpected-response' });
  });
});
