/**
 * At-least-once delivery made safe: a job that runs again, a lost ownership record, a crash between a
 * create and its record, and a create whose answer never arrived never make a second addition.
 */
import { catalogIdentifierFor } from '@cwx/domain';
import { type OwnershipEntry, type OwnershipStore, RetryableExportError } from '../../libs/export/src';
import { clientFor, productIdOf, settingsWith, useHarness } from './support/harness';
// The connectwise client tests' proxy: lets a request reach the simulator, then loses the answer.
import { startDropProxy as startLostAnswerProxy } from '../connectwise-client/drop-proxy';

/** Delegates to `inner`, but the next `save` fails as a lost database connection would. */
class StoreFailingOnce implements OwnershipStore {
  private armed = true;
  constructor(private readonly inner: OwnershipStore) {}
  list(partnerId: string, agreementId: number) {
    return this.inner.list(partnerId, agreementId);
  }
  save(partnerId: string, entry: OwnershipEntry) {
    if (this.armed) {
      this.armed = false;
      return Promise.reject(new Error('Connection terminated unexpectedly'));
    }
    return this.inner.save(partnerId, entry);
  }
  remove(partnerId: string, agreementId: number, key: string) {
    return this.inner.remove(partnerId, agreementId, key);
  }
}

describe('idempotent account jobs (simulator)', () => {
  const h = useHarness({ partnerId: 'idem', seed: 31, accounts: 6 });
  const settings = settingsWith({ cost: true, retailPrice: true });

  beforeAll(async () => {
    await h.exportAll(settings);
  });

  /** Gives the account a SKU it does not hold yet, and returns it. */
  async function addSku(accountId: string): Promise<string> {
    const held = new Set((await h.subscriptions(accountId)).map((s) => s.sku));
    const sku = h.partner.skus.find((s) => !held.has(s.sku))!.sku;
    await h.editSubscriptions(accountId, (lines) => lines.push({ planId: 'new', sku, quantity: 7, unitCost: 3.25 }));
    return sku;
  }

  function linesFor(accountId: string, sku: string) {
    const productId = h.catalogIds().get(catalogIdentifierFor(sku).toLowerCase());
    return h.additions(accountId).filter((a) => productIdOf(a) === productId);
  }

  it('the same job delivered twice: the second run writes nothing', async () => {
    const accountId = h.accountIds[0];
    const sku = await addSku(accountId);
    const first = await h.exportAll(settings, { accountIds: [accountId] });
    expect(first.accounts[0]).toMatchObject({ status: 'changed', operations: [{ action: 'create', sku }] });
    h.sim.resetRequests();
    const second = await h.exportAll(settings, { accountIds: [accountId] });
    expect(second.accounts[0].status).toBe('unchanged');
    expect(h.writes()).toBe(0);
    expect(linesFor(accountId, sku)).toHaveLength(1);
  });

  it('a deleted ownership record: the addition is re-found by product and adopted, not duplicated', async () => {
    const accountId = h.accountIds[1];
    const agreementId = h.agreementOf(accountId);
    const [record] = await h.stores.ownership.list(h.partnerId, agreementId);
    await h.stores.ownership.remove(h.partnerId, agreementId, record.key);
    h.sim.resetRequests();

    const run = await h.exportAll(settings, { accountIds: [accountId] });
    expect(h.writes()).toBe(0);
    expect(run.accounts[0]).toMatchObject({ status: 'unchanged', operations: [{ action: 'adopt', id: record.additionId, sku: record.key }] });
    expect(await h.stores.ownership.list(h.partnerId, agreementId)).toContainEqual({ ...record, accountId });
    expect(linesFor(accountId, record.key)).toHaveLength(1);
  });

  it('interrupted after a create, before its ownership record: retryable; the re-run adopts, no duplicate', async () => {
    const accountId = h.accountIds[2];
    const sku = await addSku(accountId);
    const failing = { ownership: new StoreFailingOnce(h.stores.ownership) };

    const error = await h.exportAll(settings, { accountIds: [accountId], stores: failing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableExportError);
    const retryable = error as RetryableExportError<{ operations: { action: string; sku?: string }[] }>;
    expect(retryable.reason).toMatchObject({ kind: 'store', code: 'EXPORT_STORE_FAILED' });
    expect(retryable.partial?.operations).toContainEqual(expect.objectContaining({ action: 'create', sku }));
    expect(linesFor(accountId, sku)).toHaveLength(1);

    h.sim.resetRequests();
    const rerun = await h.exportAll(settings, { accountIds: [accountId] });
    expect(h.sim.countRequests({ method: 'POST' })).toBe(0);
    expect(rerun.accounts[0].operations).toEqual([expect.objectContaining({ action: 'adopt', sku, id: Number(linesFor(accountId, sku)[0].id) })]);
    expect(linesFor(accountId, sku)).toHaveLength(1);
  });

  it('a create dropped by ConnectWise before it was processed: re-found as missing, posted again once', async () => {
    const accountId = h.accountIds[3];
    const sku = await addSku(accountId);
    await h.runCatalog(settings, { accountIds: [accountId] });
    h.sim.resetRequests();
    h.sim.failNext({ method: 'POST', path: /additions/, status: 201, drop: true });

    const run = await h.exportAll(settings, { accountIds: [accountId] });
    expect(run.accounts[0].status).toBe('changed');
    expect(h.sim.countRequests({ method: 'POST', path: /additions/ })).toBe(2);
    expect(linesFor(accountId, sku)).toHaveLength(1);
    expect(h.client.stats().refinds).toBeGreaterThanOrEqual(1);
  });

  it('a create that happened but whose answer was lost: re-found by product, never posted twice', async () => {
    const accountId = h.accountIds[4];
    const sku = await addSku(accountId);
    await h.runCatalog(settings, { accountIds: [accountId] });
    const proxy = await startLostAnswerProxy(h.sim.baseUrl);
    try {
      const client = clientFor(proxy);
      proxy.loseNextAnswer({ method: 'POST', path: /additions$/ });
      h.sim.resetRequests();

      const run = await h.exportAll(settings, { accountIds: [accountId], client });
      const [line] = linesFor(accountId, sku);
      expect(run.accounts[0]).toMatchObject({ status: 'changed', operations: [{ action: 'create', sku, id: Number(line.id) }] });
      expect(h.sim.countRequests({ method: 'POST', path: /additions/ })).toBe(1);
      expect(linesFor(accountId, sku)).toHaveLength(1);
      expect(client.stats()).toMatchObject({ refinds: 1, refindHits: 1 });
      const records = await h.stores.ownership.list(h.partnerId, h.agreementOf(accountId));
      expect(records).toContainEqual(expect.objectContaining({ key: sku, additionId: Number(line.id) }));
    } finally {
      await proxy.close();
    }
  });
});
