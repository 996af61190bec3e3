import { RunContextCache } from './run-context-cache';

describe('RunContextCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 0;
  });

  /** A loader that answers its call count, so a test sees whether it read again. */
  const counter = () => {
    let reads = 0;
    return { load: () => Promise.resolve(++reads), reads: () => reads };
  };

  it('reads once per run, and again for a later run of the same partner', async () => {
    const cache = new RunContextCache<number>({ now });
    const reads = counter();
    expect(await cache.get('p', 'run-1', reads.load)).toBe(1);
    expect(await cache.get('p', 'run-1', reads.load)).toBe(1);
    expect(await cache.get('p', 'run-2', reads.load)).toBe(2);
    expect(reads.reads()).toBe(2);
  });

  it('keeps runs of different partners apart, and drops an earlier run of the partner when a later one is read', async () => {
    const cache = new RunContextCache<string>({ now });
    await cache.get('p', 'run-1', () => Promise.resolve('p1'));
    await cache.get('q', 'run-1', () => Promise.resolve('q1'));
    expect(await cache.get('p', 'run-1', () => Promise.resolve('other'))).toBe('p1');
    expect(cache.size).toBe(2);
    await cache.get('p', 'run-2', () => Promise.resolve('p2'));
    expect(cache.size).toBe(2); // p/run-1 went; q/run-1 stays
    expect(await cache.get('q', 'run-1', () => Promise.resolve('other'))).toBe('q1');
  });

  it('one read for concurrent jobs of a run', async () => {
    const cache = new RunContextCache<number>({ now });
    let release!: (value: number) => void;
    let reads = 0;
    const load = () => {
      reads += 1;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get('p', 'r', load), cache.get('p', 'r', load)]);
    release(7);
    expect(await both).toEqual([7, 7]);
    expect(reads).toBe(1);
  });

  it('reads again after the TTL', async () => {
    const cache = new RunContextCache<number>({ now, ttlMs: 1000 });
    const reads = counter();
    await cache.get('p', 'r', reads.load);
    clock = 999;
    expect(await cache.get('p', 'r', reads.load)).toBe(1);
    clock = 1000;
    expect(await cache.get('p', 'r', reads.load)).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const cache = new RunContextCache<number>({ now });
    await expect(cache.get('p', 'r', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(cache.size).toBe(0);
    expect(await cache.get('p', 'r', () => Promise.resolve(3))).toBe(3);
  });

  it('is bounded: the least recently used run goes first', async () => {
    const cache = new RunContextCache<string>({ now, maxEntries: 2 });
    await cache.get('a', 'r', () => Promise.resolve('a'));
    await cache.get('b', 'r', () => Promise.resolve('b'));
    await cache.get('a', 'r', () => Promise.resolve('a again')); // a is now the most recent
    await cache.get('c', 'r', () => Promise.resolve('c'));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', 'r', () => Promise.resolve('a again'))).toBe('a');
    expect(await cache.get('b', 'r', () => Promise.resolve('b again'))).toBe('b again');
  });

  it('forgets a run that ended', async () => {
    const cache = new RunContextCache<number>({ now });
    const reads = counter();
    await cache.get('p', 'r', reads.load);
    cache.endRun('p', 'r');
    expect(cache.size).toBe(0);
    expect(await cache.get('p', 'r', reads.load)).toBe(2);
  });

  it('cannot confuse a partner id and a run id that contain the separator', async () => {
    const cache = new RunContextCache<string>({ now });
    await cache.get('p:1', 'r', () => Promise.resolve('first'));
    expect(await cache.get('p', '1:r', () => Promise.resolve('second'))).toBe('second');
  });
});
