/**
 * The review queue's page is JSON written by the database (ReviewQueueUseCases.list). On both drivers it must
 * say what the rows say, field for field as the API documents them (timestamps as `toISOString` writes them),
 * oldest waiting first, filtered, paged by offset, with totals over every match.
 */
import { eq, sql } from 'drizzle-orm';
import { openDatabase, reviewChanges, type DatabaseHandle } from '../../libs/persistence/src';
import { ReviewChangesRepository } from '../../apps/control-plane/src/review/review-changes.repository';
import { ReviewQueueUseCases } from '../../apps/control-plane/src/review/review.use-cases';
import type { ReviewChangeDto, ReviewChangesPageDto, ReviewChangesQueryDto } from '../../apps/control-plane/src/review/review.dto';
import type { StartRun } from '../../apps/control-plane/src/runs/start-run.use-case';
import { BOTH_DRIVERS } from '../support/postgres';

const P = 'p-page';

describe.each(BOTH_DRIVERS)('review queue page on %s', (_name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let queue: ReviewQueueUseCases;

  beforeAll(async () => {
    const s = await setup();
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    queue = new ReviewQueueUseCases(new ReviewChangesRepository(handle.db), undefined as unknown as StartRun);
    const classes = [['decrease'], ['cancellation'], ['price-change'], ['decrease', 'price-change']];
    await handle.db.insert(reviewChanges).values(
      Array.from({ length: 30 }, (_, i) => ({
        partnerId: i < 27 ? P : 'someone-else',
        accountId: `acc-${i % 4}`,
        accountName: `Account ${i % 4} "quoted" é`,
        agreementId: 100 + (i % 4),
        sku: `SKU-${i % 3}`,
        additionId: i % 5 === 0 ? null : 1000 + i,
        fingerprint: `update:quantity=${i}`,
        classes: classes[i % classes.length],
        reason: i % 6 === 0 ? ('edited-in-connectwise' as const) : ('policy' as const),
        before: i % 7 === 0 ? null : { quantity: i + 1, unitPrice: 10.1, unitCost: 5, cancelled: false },
        after: { quantity: i, unitPrice: 10.1, unitCost: 5, cancelled: false },
        monthlyAmount: i % 8 === 0 ? null : i % 2 === 0 ? -10.1 * (i % 5) : 0.3 * i,
        status: i % 9 === 4 ? ('approved' as const) : ('pending' as const),
        adjustedQuantity: i % 9 === 4 ? 3.5 : null,
        adjustedEffectiveDate: i % 9 === 4 ? '2026-12-24' : null,
        decidedBy: i % 9 === 4 ? 'user-1' : null,
        decidedAt: i % 9 === 4 ? new Date('2026-12-03T10:11:12.345Z') : null,
        firstSeenOn: '2026-12-01',
        waitingSince: new Date(Date.UTC(2026, 11, 1, 8, 0, (i * 7) % 30, 123 + i)),
      })),
    );
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });

  /** What the API documents for a row (the DTO as it was written in TypeScript before the page came from SQL). */
  function dto(row: Omit<typeof reviewChanges.$inferSelect, 'itemJson'>): ReviewChangeDto {
    return {
      id: row.id,
      accountId: row.accountId,
      accountName: row.accountName,
      agreementId: row.agreementId,
      sku: row.sku,
      additionId: row.additionId,
      classes: row.classes,
      reason: row.reason,
      before: row.before as ReviewChangeDto['before'],
      after: row.after as ReviewChangeDto['after'],
      monthlyAmount: row.monthlyAmount,
      status: row.status,
      adjustedQuantity: row.adjustedQuantity,
      adjustedEffectiveDate: row.adjustedEffectiveDate,
      firstSeenOn: row.firstSeenOn,
      waitingSince: row.waitingSince.toISOString(),
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      appliedAt: row.appliedAt?.toISOString() ?? null,
    };
  }

  async function expected(match: (r: typeof reviewChanges.$inferSelect) => boolean, limit: number, offset: number): Promise<ReviewChangesPageDto> {
    const all = (await handle.db.select().from(reviewChanges).where(eq(reviewChanges.partnerId, P)))
      .filter(match)
      .sort((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime() || a.id - b.id)
      .map((r) => ({ ...r, itemJson: null }));
    const amounts = all.map((r) => r.monthlyAmount);
    const cents = (n: number) => Math.round(n * 100) / 100;
    return {
      items: all.slice(offset, offset + limit).map(dto),
      totals: {
        count: all.length,
        monthlyAdded: cents(amounts.reduce<number>((s, a) => s + (a !== null && a > 0 ? a : 0), 0)),
        monthlyRemoved: cents(amounts.reduce<number>((s, a) => s + (a !== null && a < 0 ? a : 0), 0)),
        unpriced: amounts.filter((a) => a === null).length,
      },
      limit,
      offset,
    };
  }

  const page = async (query: ReviewChangesQueryDto) => JSON.parse((await queue.list(P, query)).body.toString()) as ReviewChangesPageDto;
  const pending = (r: typeof reviewChanges.$inferSelect) => r.status === 'pending';

  it('lists pending changes oldest first, field for field, with totals over every match', async () => {
    const first = await page({ limit: 10 });
    expect(first).toEqual(await expected(pending, 10, 0));
    expect(first.items).toHaveLength(10);
    expect(first.items.some((i) => i.before === null)).toBe(true);
  });

  it('pages by offset, and a page past the end is empty with the totals', async () => {
    expect(await page({ limit: 7, offset: 14 })).toEqual(await expected(pending, 7, 14));
    const past = await page({ limit: 5, offset: 500 });
    expect(past.items).toEqual([]);
    expect(past.totals.count).toBe((await expected(pending, 5, 500)).totals.count);
  });

  it('filters by account, SKU, classes and status', async () => {
    expect(await page({ accountId: 'acc-1' })).toEqual(await expected((r) => pending(r) && r.accountId === 'acc-1', 100, 0));
    expect(await page({ sku: 'SKU-2', limit: 3 })).toEqual(await expected((r) => pending(r) && r.sku === 'SKU-2', 3, 0));
    expect(await page({ class: ['cancellation', 'price-change'] })).toEqual(await expected((r) => pending(r) && r.classes.some((c) => ['cancellation', 'price-change'].includes(c)), 100, 0));
    expect(await page({ accountId: 'acc-2', class: ['decrease'], sku: 'SKU-1' })).toEqual(
      await expected((r) => pending(r) && r.accountId === 'acc-2' && r.sku === 'SKU-1' && r.classes.includes('decrease'), 100, 0),
    );
    const approved = await page({ status: 'approved' });
    expect(approved).toEqual(await expected((r) => r.status === 'approved', 100, 0));
    expect(approved.items.length).toBeGreaterThan(0);
  });

  it('writes the page as json_build_object and json_agg wrote it (the same bytes), also after a row is updated', async () => {
    await handle.db.update(reviewChanges).set({ status: 'dismissed', decidedBy: 'user-2', decidedAt: new Date('2026-12-04T01:02:03.004Z') }).where(eq(reviewChanges.id, (await page({ limit: 1 })).items[0].id));
    const text = (await queue.list(P, { limit: 6, offset: 2 })).body.toString();
    const built = (await handle.db.execute(sql`
      select json_build_object('items', coalesce(json_agg(json_build_object(
        'id', id, 'accountId', account_id, 'accountName', account_name, 'agreementId', agreement_id, 'sku', sku,
        'additionId', addition_id, 'classes', classes, 'reason', reason, 'before', before, 'after', after,
        'monthlyAmount', monthly_amount, 'status', status, 'adjustedQuantity', adjusted_quantity,
        'adjustedEffectiveDate', adjusted_effective_date, 'firstSeenOn', first_seen_on,
        'waitingSince', to_char(waiting_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'decidedBy', decided_by,
        'decidedAt', to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'appliedAt', to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by waiting_since, id), '[]'::json),
        'totals', (select json_build_object('count', coalesce(sum(changes), 0), 'monthlyAdded', round(coalesce(sum(monthly_added), 0), 2)::float8,
          'monthlyRemoved', round(coalesce(sum(monthly_removed), 0), 2)::float8, 'unpriced', coalesce(sum(unpriced), 0))
          from review_change_totals where partner_id = ${P} and status = 'pending'),
        'limit', 6, 'offset', 2)::text as page
      from (select * from review_changes where partner_id = ${P} and status = 'pending' order by waiting_since, id limit 6 offset 2) page_rows`)) as { rows: { page: string }[] };
    expect(text).toBe(built.rows[0].page);
    expect(JSON.parse(text)).toEqual(await expected(pending, 6, 2));
  });
});
