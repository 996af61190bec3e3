// The measurement quoted in BENCHMARKS.md ("Where it does not help"): the page statement with and without the revision
// sub-select, alternating, on one connection. Run from the repository root after npm run build: node bench/results/20261206-cache/statement-ab.js
// Output of 2026-12-06 08:38 UTC: without revision 1.434 with 1.454 ratio 1.014 (ms a round trip); planning 0.192 / 0.205, execution 0.996 / 0.892 ms.
const { openDatabase, reviewChanges } = require('../../../dist/libs/persistence/src');
const { createTestDatabase } = require('../../../dist/test/support/postgres');
const { sql } = require('drizzle-orm');
const { Client } = require('pg');
(async () => {
  const t = await createTestDatabase('cwx_ab');
  const h = openDatabase({ driver: 'postgres', url: t.url });
  await h.migrate();
  const P = 'bench-cp';
  const rows = Array.from({ length: 20000 }, (_, i) => ({ partnerId: P, accountId: `acc-${i % 10000}`, accountName: `Account ${i % 10000}`, agreementId: 1000 + (i % 10000), sku: `SKU-${Math.floor(i / 10000)}`, additionId: 10000 + i, fingerprint: `update:quantity=${i}`, classes: [['decrease'], ['cancellation'], ['price-change'], ['decrease', 'price-change']][i % 4], reason: 'policy', before: { quantity: 5, unitPrice: 10, unitCost: 5, cancelled: false }, after: { quantity: 4, unitPrice: 10, unitCost: 5, cancelled: false }, monthlyAmount: -10, status: i < 10000 ? 'pending' : 'applied', firstSeenOn: '2026-12-01', waitingSince: new Date(Date.now() - (20000 - i) * 1000) }));
  for (let i = 0; i < rows.length; i += 1000) await h.db.insert(reviewChanges).values(rows.slice(i, i + 1000));
  await h.db.execute(sql`vacuum (analyze) review_changes`);
  await h.close();
  const c = new Client({ connectionString: t.url }); await c.connect();
  const keys = `select id from review_changes where partner_id = $1 and status = 'pending' order by waiting_since, id limit $2 offset $3`;
  const totals = `(select json_build_object('count', coalesce(sum(changes), 0)) from review_change_totals where partner_id = $1 and status = 'pending')`;
  const page = `'{"items" : ' || coalesce('[' || string_agg(item_json, ', ' order by waiting_since, id) || ']', '[]') || ', "totals" : ' || ${totals}::text || '}'`;
  const A = `select ${page} as page from review_changes where id = any(array(${keys}))`;
  const B = `select ${page} as page, (select revision from review_revisions where partner_id = $1) as revision from review_changes where id = any(array(${keys}))`;
  await c.query({ name: 'a', text: A, values: [P, 100, 0] });
  await c.query({ name: 'b', text: B, values: [P, 100, 0] });
  const time = async (name, n) => { const s = process.hrtime.bigint(); for (let i = 0; i < n; i++) await c.query({ name, text: name === 'a' ? A : B, values: [P, 100, (i % 100) * 100] }); return Number(process.hrtime.bigint() - s) / 1e6 / n; };
  const res = { a: [], b: [] };
  for (let r = 0; r < 10; r++) for (const v of r % 2 ? ['a', 'b'] : ['b', 'a']) res[v].push(await time(v, 300));
  const med = (x) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
  console.log('ms per execution (round trip, 300 x 10 rounds): without revision', med(res.a).toFixed(3), 'with', med(res.b).toFixed(3), 'ratio', (med(res.b) / med(res.a)).toFixed(3));
  for (const v of ['a', 'b']) { const plans = []; for (let i = 0; i < 30; i++) { const r = await c.query(`explain (analyze, format json) ${(v === 'a' ? A : B).replace(/\$1/g, `'${P}'`).replace(/\$2/g, '100').replace(/\$3/g, String(i * 100))}`); plans.push(r.rows[0]['QUERY PLAN'][0]); } console.log(v, 'planning', med(plans.map((p) => p['Planning Time'])).toFixed(3), 'execution', med(plans.map((p) => p['Execution Time'])).toFixed(3)); }
  await c.end(); await t.drop();
})().catch((e) => { console.error(e); process.exit(1); });
