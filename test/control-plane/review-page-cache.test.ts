/**
 * Pages of the review queue are kept with the partner's queue revision (migration 0017) and served again only while it
 * is unchanged. What a reader must never see: a page older than its request, after a decision, a run's write, another
 * replica's write or a TRUNCATE. What it should see: no page statement while nothing changed, also when another partner's
 * queue changes.
 */
import express from 'express';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, reviewChanges, reviewRevisions, type DatabaseHandle } from '../../libs/persistence/src';
import { ReviewChangesRepository } from '../../apps/control-plane/src/review/review-changes.repository';
import { ReviewPageCache, weakEtag } from '../../apps/control-plane/src/review/review-page-cache';
import { ReviewQueueUseCases } from '../../apps/control-plane/src/review/review.use-cases';
import type { ReviewChangesPageDto } from '../../apps/control-plane/src/review/review.dto';
import type { StartRun } from '../../apps/control-plane/src/runs/start-run.use-case';
import { BOTH_DRIVERS } from '../support/postgres';

const P = 'p-cache';
const OTHER = 'p-other';

function change(partnerId: string, i: number): typeof reviewChanges.$inferInsert {
  return {
    partnerId,
    accountId: `acc-${i % 3}`,
    accountName: `Account ${i % 3}`,
    agreementId: 100 + (i % 3),
    sku: `SKU-${i % 2}`,
    additionId: 1000 + i,
    fingerprint: `update:quantity=${i}`,
    classes: ['decrease'],
    reason: 'policy',
    before: { quantity: i + 1, unitPrice: 10, unitCost: 5, cancelled: false },
    after: { quantity: i, unitPrice: 10, unitCost: 5, cancelled: false },
    monthlyAmount: -10,
    status: 'pending',
    firstSeenOn: '2026-12-01',
    waitingSince: new Date(Date.UTC(2026, 11, 1, 8, 0, i)),
  };
}

describe('ReviewPageCache', () => {
  it('gives the ETag Express would give the same text', () => {
    const expressEtag = express().get('etag fn') as (body: Buffer | string, encoding?: BufferEncoding) => string;
    for (const text of ['', '{"items" : []}', 'é "quoted" \u{1F600}'.repeat(1000)]) expect(weakEtag(Buffer.from(text, "utf8"))).toBe(expressEtag(text));
  });

  it('serves a page only at the revision it was kept at, and never one kept without a revision', () => {
    const cache = new ReviewPageCache();
    cache.put('a', 7, '{"a":1}');
    expect(cache.get('a', 7)?.body.toString()).toBe('{"a":1}');
    expect(cache.get('a', 8)).toBeUndefined();
    expect(cache.get('a', null)).toBeUndefined();
    cache.put('b', null, '{"b":1}');
    expect(cache.size.pages).toBe(1); // only a
  });

  it('keeps at most its bytes, dropping the page used least recently', () => {
    const cache = new ReviewPageCache(30);
    cache.put('a', 1, 'x'.repeat(10));
    cache.put('b', 1, 'y'.repeat(10));
    expect(cache.get('a', 1)).toBeDefined(); // a is now the most recent
    cache.put('c', 1, 'z'.repeat(15));
    expect(cache.size).toEqual({ pages: 2, bytes: 25 });
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1) && cache.get('c', 1)).toBeDefined();
    cache.put('huge', 1, 'w'.repeat(31));
    expect(cache.get('huge', 1)).toBeUndefined();
    cache.put('a', 2, 'é'.repeat(5)); // replaced, counted in bytes (10), not characters
    expect(cache.size).toEqual({ pages: 2, bytes: 25 });
  });
});

describe('ReviewPageCache.page: readers of a page that just changed', () => {
  /** A read of the page that finishes when told to, at a given revision. */
  function deferredRead(json: string, revision: number | null) {
    let finish!: () => void;
    const started = jest.fn();
    const read = () => {
      started();
      return new Promise<{ json: string; revision: number | null }>((resolve) => (finish = () => resolve({ json, revision })));
    };
    return { read, started, finish: () => finish() };
  }

  it('share one read that started after the revision they saw', async () => {
    const cache = new ReviewPageCache();
    cache.put('k', 1, 'old');
    const newer = deferredRead('new', 2);
    const first = cache.page('p', 'k', () => Promise.resolve(2), newer.read);
    await new Promise(setImmediate); // the first reader's read is under way
    const own = jest.fn(() => Promise.resolve({ json: 'own', revision: 2 }));
    const second = cache.page('p', 'k', () => Promise.resolve(2), own);
    newer.finish();
    expect((await first).body.toString()).toBe('new');
    expect((await second).body.toString()).toBe('new');
    expect(newer.started).toHaveBeenCalledTimes(1);
    expect(own).not.toHaveBeenCalled();
  });

  it('read on their own, without waiting, when the read under way started before what they saw, or when they saw nothing', async () => {
    const cache = new ReviewPageCache();
    cache.put('k', 1, 'old');
    const older = deferredRead('at 2', 2);
    const first = cache.page('p', 'k', () => Promise.resolve(2), older.read);
    await new Promise(setImmediate); // the first reader's read is under way
    const own = jest.fn(() => Promise.resolve({ json: 'at 3', revision: 3 }));
    const second = cache.page('p', 'k', () => Promise.resolve(3), own); // a write committed meanwhile: it saw 3
    expect((await second).body.toString()).toBe('at 3'); // without waiting for the older read (still under way)
    older.finish();
    expect((await first).body.toString()).toBe('at 2');
    expect(own).toHaveBeenCalledTimes(1);
    expect(cache.get('k', 3)?.body.toString()).toBe('at 3'); // the slower, older read did not replace the newer page

    const fresh = new ReviewPageCache(); // nothing kept: no revision read, no sharing
    const slow = deferredRead('slow', 5);
    const a = fresh.page('p', 'x', () => Promise.resolve(5), slow.read);
    const revision = jest.fn(() => Promise.resolve(null));
    const b = fresh.page('p', 'x', revision, () => Promise.resolve({ json: 'b', revision: null }));
    slow.finish();
    expect((await a).body.toString()).toBe('slow');
    expect((await b).body.toString()).toBe('b'); // it saw no revision (null): it may not take another read's page
  });

  it('reads a page again without asking for the revision once a later revision of its partner was seen', async () => {
    const cache = new ReviewPageCache();
    const revision = jest.fn(() => Promise.resolve(1));
    await cache.page('p', 'first', revision, () => Promise.resolve({ json: 'first at 1', revision: 1 }));
    await cache.page('p', 'second', revision, () => Promise.resolve({ json: 'second at 3', revision: 3 })); // read after two writes
    const read = jest.fn(() => Promise.resolve({ json: 'first at 3', revision: 3 }));
    expect((await cache.page('p', 'first', revision, read)).body.toString()).toBe('first at 3');
    expect(revision).not.toHaveBeenCalled();
    expect(read).toHaveBeenCalledTimes(1);
    // Another partner's revisions say nothing about this one's.
    await cache.page('q', 'other', revision, () => Promise.resolve({ json: 'other at 9', revision: 9 }));
    expect((await cache.page('p', 'first', () => Promise.resolve(3), read)).body.toString()).toBe('first at 3');
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('a failed read is not shared: the waiting reader reads on its own', async () => {
    const cache = new ReviewPageCache();
    cache.put('k', 1, 'old');
    let fail!: (e: Error) => void;
    const first = cache.page('p', 'k', () => Promise.resolve(2), () => new Promise((_, reject) => (fail = reject)));
    await new Promise(setImmediate); // the first reader's read is under way
    const second = cache.page('p', 'k', () => Promise.resolve(2), () => Promise.resolve({ json: 'own', revision: 2 }));
    fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    expect((await second).body.toString()).toBe('own');
  });
});

describe.each(BOTH_DRIVERS)('review queue pages kept by revision on %s', (_name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let repository: ReviewChangesRepository;
  let queue: ReviewQueueUseCases;
  let statements: jest.SpyInstance;

  const revisionOf = async (partnerId: string) =>
    (await handle.db.select({ revision: reviewRevisions.revision }).from(reviewRevisions).where(eq(reviewRevisions.partnerId, partnerId)))[0]?.revision ?? null;
  const page = async (queryLimit = 5) => JSON.parse((await queue.list(P, { limit: queryLimit })).body.toString()) as ReviewChangesPageDto;
  const truth = async (limit = 5) => {
    const rows = await handle.db.select().from(reviewChanges).where(eq(reviewChanges.partnerId, P));
    const pending = rows.filter((r) => r.status === 'pending').sort((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime() || a.id - b.id);
    return { ids: pending.slice(0, limit).map((r) => r.id), count: pending.length, quantities: pending.slice(0, limit).map((r) => (r.after as { quantity: number }).quantity) };
  };
  const seen = (p: ReviewChangesPageDto) => ({ ids: p.items.map((i) => i.id), count: p.totals.count, quantities: p.items.map((i) => i.after.quantity) });

  beforeAll(async () => {
    const s = await setup();
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
  }, 60_000);

  beforeEach(async () => {
    await handle.db.execute(sql`truncate review_changes`);
    await handle.db.insert(reviewChanges).values([...Array.from({ length: 12 }, (_, i) => change(P, i)), change(OTHER, 0)]);
    repository = new ReviewChangesRepository(handle.db);
    queue = new ReviewQueueUseCases(repository, undefined as unknown as StartRun);
    statements = jest.spyOn(repository, 'pageJson');
  });

  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });

  it('every statement that writes a partner changes its revision, to a value never used before; others keep theirs', async () => {
    const seenRevisions = new Set<number>();
    const note = async () => {
      const r = await revisionOf(P);
      expect(r).not.toBeNull();
      expect(seenRevisions.has(r)).toBe(false);
      seenRevisions.add(r);
    };
    await note();
    const other = await revisionOf(OTHER);
    await handle.db.insert(reviewChanges).values(change(P, 20));
    await note();
    await handle.db.update(reviewChanges).set({ status: 'dismissed' }).where(eq(reviewChanges.fingerprint, 'update:quantity=20'));
    await note();
    await handle.db.delete(reviewChanges).where(eq(reviewChanges.fingerprint, 'update:quantity=20'));
    await note();
    expect(await revisionOf(OTHER)).toBe(other);
    const before = await revisionOf(P);
    await handle.db.update(reviewChanges).set({ status: 'dismissed' }).where(eq(reviewChanges.fingerprint, 'no such change'));
    expect(await revisionOf(P)).toBe(before);
    await handle.db.execute(sql`truncate review_changes`);
    expect(await revisionOf(P)).toBeNull();
    await handle.db.insert(reviewChanges).values(change(P, 0));
    await note();
  });

  it('reads the page once while nothing changes, also when another partner changes', async () => {
    const first = await page();
    expect(seen(first)).toEqual(await truth());
    expect(await page()).toEqual(first);
    await handle.db.update(reviewChanges).set({ status: 'dismissed' }).where(eq(reviewChanges.partnerId, OTHER));
    expect(await page()).toEqual(first);
    expect(statements).toHaveBeenCalledTimes(1);
    await queue.list(P, { limit: 5, offset: 5 }); // another page is another key
    expect(statements).toHaveBeenCalledTimes(2);
  });

  it('never serves a page older than the request: after a decision, a write by another replica, a run, a TRUNCATE', async () => {
    await page();
    const [oldest] = (await truth()).ids;
    await queue.decide(P, 'user-1', { action: 'dismiss', ids: [oldest] });
    let now = await page();
    expect(seen(now)).toEqual(await truth());
    expect(now.items.map((i) => i.id)).not.toContain(oldest);

    // Another replica decides: this process learns it from the revision, not from its own call.
    const replica = new ReviewQueueUseCases(new ReviewChangesRepository(handle.db), undefined as unknown as StartRun);
    await replica.decide(P, 'user-2', { action: 'approve', ids: [now.items[0].id] });
    now = await page();
    expect(seen(now)).toEqual(await truth());

    // A run records a newer platform value for a pending change (same row, same status and amount: totals unchanged).
    await handle.db.update(reviewChanges).set({ after: { quantity: 99, unitPrice: 10, unitCost: 5, cancelled: false } }).where(eq(reviewChanges.id, now.items[0].id));
    now = await page();
    expect(now.items[0].after.quantity).toBe(99);
    expect(seen(now)).toEqual(await truth());

    await handle.db.execute(sql`truncate review_changes`);
    now = await page();
    expect(now.items).toEqual([]);
    expect(now.totals.count).toBe(0);
    await handle.db.insert(reviewChanges).values(change(P, 3));
    expect(seen(await page())).toEqual(await truth());
  });

  it('keeps a page with the revision of its own snapshot, not one read after it', async () => {
    // A write commits just after the page is read: the page must not be kept under the newer revision.
    const [oldest] = (await truth()).ids;
    statements.mockImplementationOnce(async (...args: Parameters<ReviewChangesRepository['pageJson']>) => {
      const read = await ReviewChangesRepository.prototype.pageJson.apply(repository, args);
      await handle.db.update(reviewChanges).set({ status: 'dismissed' }).where(eq(reviewChanges.id, oldest));
      return read;
    });
    expect((await page()).items.map((i) => i.id)).toContain(oldest); // as it was when the request read it
    const next = await page();
    expect(next.items.map((i) => i.id)).not.toContain(oldest);
    expect(seen(next)).toEqual(await truth());
  });
});
