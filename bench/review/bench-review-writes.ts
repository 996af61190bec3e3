/**
 * What the queue's revision (migration 0017) costs the writers of `review_changes`: a run recording 10,000 held
 * changes (10 inserts of 1,000), a person deciding them all (one update), and a small write (one row), each timed with
 * the revision triggers enabled and disabled, alternately, on a fresh PostgreSQL database.
 *
 *   npm run bench:review-writes -- [--rounds 7] [--out path.json]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase, reviewChanges } from '@cwx/persistence';
import { createTestDatabase } from '../../test/support/postgres';
import { REPO, uptime } from '../export/processes';

const TRIGGERS = ['review_changes_revised_insert', 'review_changes_revised_update', 'review_changes_revised_delete'];

function rows(partnerId: string, n: number): (typeof reviewChanges.$inferInsert)[] {
  return Array.from({ length: n }, (_, i) => ({
    partnerId,
    accountId: `acc-${i % 1000}`,
    accountName: `Account ${i % 1000}`,
    agreementId: 1000 + (i % 1000),
    sku: `SKU-${i % 10}`,
    additionId: 10_000 + i,
    fingerprint: `update:quantity=${i}`,
    classes: [['decrease'], ['cancellation'], ['price-change']][i % 3],
    reason: 'policy' as const,
    before: { quantity: 5, unitPrice: 10, unitCost: 5, cancelled: false },
    after: { quantity: 4, unitPrice: 10, unitCost: 5, cancelled: false },
    monthlyAmount: -10,
    status: 'pending' as const,
    firstSeenOn: '2026-12-01',
    waitingSince: new Date(Date.UTC(2026, 11, 1) + i * 1000),
  }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rounds = Number(args[args.indexOf('--rounds') + 1] || 7) || 7;
  const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(REPO, 'bench/results', `review-writes-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const testDb = await createTestDatabase('cwx_bench_rw');
  const handle = openDatabase({ driver: 'postgres', url: testDb.url });
  const startUptime = uptime();
  const times: Record<'with' | 'without', Record<'insert10k' | 'decide10k' | 'decideOne', number[]>> = {
    with: { insert10k: [], decide10k: [], decideOne: [] },
    without: { insert10k: [], decide10k: [], decideOne: [] },
  };
  try {
    await handle.migrate();
    const db = handle.db;
    const timed = async (f: () => Promise<unknown>) => {
      const start = performance.now();
      await f();
      return performance.now() - start;
    };
    for (let round = 0; round < rounds; round += 1) {
      for (const variant of round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
        const action = variant === 'with' ? 'enable' : 'disable';
        for (const t of TRIGGERS) await db.execute(sql.raw(`alter table review_changes ${action} trigger ${t}`));
        const partnerId = `w-${variant}-${round}`;
        const batch = rows(partnerId, 10_000);
        times[variant].insert10k.push(
          await timed(async () => {
            for (let i = 0; i < batch.length; i += 1000) await db.insert(reviewChanges).values(batch.slice(i, i + 1000));
          }),
        );
        const [one] = await db.select({ id: reviewChanges.id }).from(reviewChanges).where(eq(reviewChanges.partnerId, partnerId)).limit(1);
        times[variant].decideOne.push(await timed(() => db.update(reviewChanges).set({ status: 'approved', decidedBy: 'bench' }).where(and(eq(reviewChanges.id, one.id), eq(reviewChanges.status, 'pending')))));
        times[variant].decide10k.push(await timed(() => db.update(reviewChanges).set({ status: 'dismissed', decidedBy: 'bench' }).where(and(eq(reviewChanges.partnerId, partnerId), eq(reviewChanges.status, 'pending')))));
      }
      for (const t of TRIGGERS) await db.execute(sql.raw(`alter table review_changes enable trigger ${t}`));
    }
  } finally {
    await handle.close();
    await testDb.drop();
  }
  console.log('| write | with the revision, median ms | without, median ms | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const k of ['insert10k', 'decide10k', 'decideOne'] as const) {
    const w = median(times.with[k]);
    const wo = median(times.without[k]);
    console.log(`| ${k} | ${w.toFixed(2)} | ${wo.toFixed(2)} | ${(w / wo).toFixed(3)} |`);
  }
  await mkdir(join(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify({ benchmark: 'review-writes', date: new Date().toISOString(), rounds, uptimeAtStart: startUptime, uptimeAtEnd: uptime(), times }, null, 2)}\n`);
  console.log(out);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
