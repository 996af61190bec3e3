/**
 * The catalog phase on its own: preview, patches when money is on, a lost create answer, and duplicate
 * identifiers reported instead of guessed at.
 */
import { catalogIdentifierFor } from '@cwx/domain';
import { clientFor, settingsWith, useHarness } from './support/harness';
// The connectwise client tests' proxy: lets a request reach the simulator, then loses the answer.
import { startDropProxy as startLostAnswerProxy } from '../connectwise-client/drop-proxy';

describe('catalog phase (simulator)', () => {
  const h = useHarness({ partnerId: 'catalog', seed: 61, accounts: 4 });
  const itemsWith = (sku: string) => h.sim.state.catalogItems().filter((i) => String(i.identifier).toLowerCase() === catalogIdentifierFor(sku).toLowerCase());

  it('preview: the creates it would make, and zero writes', async () => {
    h.sim.resetRequests();
    const result = await h.runCatalog(settingsWith(), { dryRun: true });
    expect(h.writes()).toBe(0);
    expect(result.status).toBe('changed');
    expect(result.operations.length).toBeGreaterThan(0);
    expect(result.operations.every((o) => o.action === 'create' && o.id === null)).toBe(true);
    expect(await h.stores.catalogItems.list(h.partnerId)).toEqual([]);
  });

  it('a create whose answer was lost is re-found by identifier: one item per SKU', async () => {
    const proxy = await startLostAnswerProxy(h.sim.baseUrl);
    try {
      proxy.loseNextAnswer({ method: 'POST', path: /procurement\/catalog$/ });
      h.sim.resetRequests();
      const result = await h.runCatalog(settingsWith(), { client: clientFor(proxy) });
      expect(result.status).toBe('changed');
      const creates = result.operations.filter((o) => o.action === 'create');
      expect(h.sim.countRequests({ method: 'POST', path: /procurement\/catalog/ })).toBe(creates.length);
      for (const op of creates) expect(itemsWith(op.sku!)).toHaveLength(1);
      const stored = await h.stores.catalogItems.list(h.partnerId);
      expect(stored.map((s) => ({ sku: s.sku, catalogItemId: s.catalogItemId }))).toEqual(result.catalog);
    } finally {
      await proxy.close();
    }
  });

  it('cost and price turned on: one PATCH per item that differs, then nothing', async () => {
    const settings = settingsWith({ cost: true, retailPrice: true });
    h.sim.resetRequests();
    const result = await h.runCatalog(settings);
    const patches = result.operations.filter((o) => o.action === 'update');
    expect(patches.length).toBe(result.catalog.length);
    expect(h.sim.countRequests({ method: 'PATCH', path: /procurement\/catalog/ })).toBe(patches.length);
    expect(patches[0].changes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'cost', before: 0 })]));
    h.sim.resetRequests();
    expect((await h.runCatalog(settings)).status).toBe('unchanged');
    expect(h.writes()).toBe(0);
  });

  it('two items with one identifier: a conflict, no guess; the accounts skip that SKU with a warning', async () => {
    const accountId = h.accountIds[0];
    const [sub] = await h.subscriptions(accountId);
    const [existing] = itemsWith(sub.sku);
    // The simulator refuses a duplicate identifier on POST; a tenant may still hold one (imports, old data).
    h.sim.state.insert('procurement/catalog', { ...existing, id: undefined, identifier: String(existing.identifier).toLowerCase(), description: 'Copy' });
    h.sim.resetRequests();
    const run = await h.exportAll(settingsWith(), { accountIds: [accountId] });
    expect(run.catalog.conflicts).toEqual([expect.objectContaining({ sku: sub.sku, reason: 'duplicate-identifier', catalogItemIds: expect.arrayContaining([Number(existing.id)]) })]);
    expect(run.catalog.catalog.map((e) => e.sku)).not.toContain(sub.sku);
    expect(run.accounts[0].warnings).toContainEqual(expect.objectContaining({ code: 'no-catalog-item', sku: sub.sku }));
    expect(h.sim.countRequests({ method: 'POST', path: /procurement\/catalog/ })).toBe(0);
  });
});
