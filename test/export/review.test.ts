/**
 * Review end to end against the simulator and PGlite (issue 19): each class of change under each policy, held,
 * approved, adjusted, dismissed, in bulk and reappearing after a new platform change; a hand edit in ConnectWise
 * between runs under both choices; effective dates and the two quantity-change choices on a prorating agreement.
 * Decisions are written to the queue as the control plane writes them (apps/control-plane/src/review).
 */
import {
  EVERYTHING_WAITS_POLICY,
  NOTHING_WAITS_POLICY,
  RECOMMENDED_REVIEW_POLICY,
  type ReviewPolicy,
} from '@cwx/domain';
import { reviewChanges, reviewDecisions } from '@cwx/persistence';
import { and, eq } from 'drizzle-orm';
import { productIdOf, settingsWith, useHarness } from './support/harness';

interface Line {
  sku: string;
  quantity: number;
  unitCost: number;
  price: number;
}

describe('review queue (simulator)', () => {
  const h = useHarness({ partnerId: 'review', seed: 19, accounts: 3 });
  const settings = settingsWith({ cost: true, retailPrice: true, usersList: false });
  let account = '';

  /** Replaces the account's subscriptions (and the retail price list for their SKUs). */
  async function setLines(accountId: string, lines: Line[]): Promise<void> {
    const copy = structuredClone(h.partner);
    for (const line of lines) if (!copy.skus.some((s) => s.sku === line.sku)) copy.skus.push({ sku: line.sku, name: `Review ${line.sku}`, unit: 'user' });
    copy.retailPrices = [...copy.retailPrices.filter((p) => !lines.some((l) => l.sku === p.sku)), ...lines.map((l) => ({ sku: l.sku, price: l.price }))];
    copy.accounts.find((a) => a.account.id === accountId)!.subscriptions = lines.map((l) => ({ planId: `plan-${l.sku}`, sku: l.sku, quantity: l.quantity, unitCost: l.unitCost }));
    await h.writePartner(copy);
  }

  const run = (policy: ReviewPolicy, options: { approvedOnly?: boolean; runDate?: string; accountId?: string } = {}) =>
    h.exportAll(settings, { accountIds: [options.accountId ?? account], review: { policy, approvedOnly: options.approvedOnly }, ...(options.runDate ? { runDate: options.runDate } : {}) });

  /** The live addition of the SKU on the account's agreement, as the simulator holds it. */
  function line(sku: string, accountId = account): Record<string, unknown> | undefined {
    const productId = h.catalogIds().get(sku.toLowerCase());
    return h.additions(accountId).find((a) => productIdOf(a) === productId && !a.cancelledDate);
  }

  const queue = (status = 'pending') =>
    h.database.db.select().from(reviewChanges).where(and(eq(reviewChanges.partnerId, h.partnerId), eq(reviewChanges.status, status as 'pending')));

  /** What the control plane does on a decision: the row's status (and adjustment) and one audit entry. */
  async function decide(ids: number[], action: 'approve' | 'adjust' | 'dismiss', adjust: { quantity?: number; effectiveDate?: string } = {}) {
    for (const id of ids) {
      await h.database.db
        .update(reviewChanges)
        .set({ status: action === 'dismiss' ? 'dismissed' : 'approved', adjustedQuantity: adjust.quantity ?? null, adjustedEffectiveDate: adjust.effectiveDate ?? null, decidedBy: 'tester' })
        .where(eq(reviewChanges.id, id));
      await h.database.db.insert(reviewDecisions).values({ partnerId: h.partnerId, changeId: id, action, actor: 'tester', detail: adjust });
    }
  }

  beforeAll(async () => {
    account = h.accountIds[0]!;
    await setLines(account, [
      { sku: 'REV-A', quantity: 10, unitCost: 5, price: 20 },
      { sku: 'REV-B', quantity: 4, unitCost: 3, price: 10 },
    ]);
    const first = await run(NOTHING_WAITS_POLICY);
    expect(first.accounts[0].status).toBe('changed');
  });

  it('recommended: the increase and the new line are written, the decrease waits with its amount, and blocks nothing', async () => {
    await setLines(account, [
      { sku: 'REV-A', quantity: 12, unitCost: 5, price: 20 },
      { sku: 'REV-B', quantity: 2, unitCost: 3, price: 10 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4 },
    ]);
    const { accounts } = await run(RECOMMENDED_REVIEW_POLICY);
    expect(line('REV-A')).toMatchObject({ quantity: 12 });
    expect(line('REV-C')).toMatchObject({ quantity: 3, unitPrice: 4 });
    expect(line('REV-B')).toMatchObject({ quantity: 4 });
    expect(accounts[0].review).toMatchObject({ pending: 1, pendingMonthlyAmount: -20 });
    expect(accounts[0].warnings.map((w) => w.code)).toContain('changes-waiting');
    const pending = await queue();
    expect(pending).toMatchObject([{ sku: 'REV-B', classes: ['decrease'], monthlyAmount: -20, before: { quantity: 4 }, after: { quantity: 2 }, firstSeenOn: '2026-03-01' }]);

    const again = await run(RECOMMENDED_REVIEW_POLICY);
    expect(again.accounts[0].status).toBe('unchanged');
    expect(await queue()).toHaveLength(1); // still waiting, not duplicated
  });

  it('approved: a run of approved changes writes just that one, once; the decision and the apply are in the audit trail', async () => {
    const [pending] = await queue();
    await decide([pending.id], 'approve');
    await setLines(account, [
      { sku: 'REV-A', quantity: 13, unitCost: 5, price: 20 }, // an increase the approved-only run must not write
      { sku: 'REV-B', quantity: 2, unitCost: 3, price: 10 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4 },
    ]);
    const applied = await run(RECOMMENDED_REVIEW_POLICY, { approvedOnly: true });
    expect(applied.accounts[0].operations).toMatchObject([{ action: 'update', sku: 'REV-B', changes: [{ field: 'quantity', before: 4, after: 2 }] }]);
    expect(line('REV-B')).toMatchObject({ quantity: 2 });
    expect(line('REV-A')).toMatchObject({ quantity: 12 });
    expect(await queue('applied')).toHaveLength(1);
    const audit = await h.database.db.select().from(reviewDecisions).where(eq(reviewDecisions.changeId, pending.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['apply', 'approve']);

    const twice = await run(RECOMMENDED_REVIEW_POLICY, { approvedOnly: true });
    expect(twice.accounts[0].operations).toEqual([]);
    expect(await h.database.db.select().from(reviewDecisions).where(eq(reviewDecisions.changeId, pending.id))).toHaveLength(2);
    await run(RECOMMENDED_REVIEW_POLICY); // the increase goes with the next ordinary run
    expect(line('REV-A')).toMatchObject({ quantity: 13 });
  });

  it('adjusted: a held cancellation approved at another quantity writes that quantity, and later runs leave it', async () => {
    await setLines(account, [
      { sku: 'REV-A', quantity: 13, unitCost: 5, price: 20 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4 },
    ]);
    await run(RECOMMENDED_REVIEW_POLICY);
    const [cancel] = await queue();
    expect(cancel).toMatchObject({ sku: 'REV-B', classes: ['cancellation'], monthlyAmount: -20 });
    await decide([cancel.id], 'adjust', { quantity: 1 });
    await run(RECOMMENDED_REVIEW_POLICY);
    expect(line('REV-B')).toMatchObject({ quantity: 1 });
    const quiet = await run(RECOMMENDED_REVIEW_POLICY);
    expect(quiet.accounts[0].status).toBe('unchanged');
    expect(await queue()).toEqual([]);
  });

  it('dismissed: a price change over the threshold is dismissed and stays out until the platform price changes again', async () => {
    await setLines(account, [
      { sku: 'REV-A', quantity: 13, unitCost: 5, price: 30 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4.1 }, // +2.5 %: under the 5 % threshold, written
    ]);
    await run(RECOMMENDED_REVIEW_POLICY);
    expect(line('REV-C')).toMatchObject({ unitPrice: 4.1 });
    const [price] = await queue();
    expect(price).toMatchObject({ sku: 'REV-A', classes: ['price-change'], monthlyAmount: 130 });
    await decide([price.id], 'dismiss');
    const after = await run(RECOMMENDED_REVIEW_POLICY);
    expect(after.accounts[0].status).toBe('unchanged');
    expect(await queue()).toEqual([]);
    expect(line('REV-A')).toMatchObject({ unitPrice: 20 });

    await setLines(account, [
      { sku: 'REV-A', quantity: 13, unitCost: 5, price: 31 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4.1 },
    ]);
    await run(RECOMMENDED_REVIEW_POLICY);
    expect(await queue()).toMatchObject([{ sku: 'REV-A', after: { unitPrice: 31 } }]);
  });

  it('everything waits, approved in bulk; nothing waits writes a decrease at once', async () => {
    await setLines(account, [
      { sku: 'REV-A', quantity: 13, unitCost: 5, price: 20 }, // back to the price ConnectWise holds: the waiting change is superseded
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4.1 },
      { sku: 'REV-D', quantity: 1, unitCost: 1, price: 9 },
      { sku: 'REV-E', quantity: 2, unitCost: 1, price: 9 },
    ]);
    await run(EVERYTHING_WAITS_POLICY);
    // The dismissed 30 was retired when 31 came; 31, still waiting, is superseded now that the platform is back at ConnectWise's price.
    expect((await queue('superseded')).map((c) => [c.sku, c.fingerprint]).sort()).toEqual([
      ['REV-A', 'update:unitPrice=30'],
      ['REV-A', 'update:unitPrice=31'],
    ]);
    const held = await queue();
    expect(held.map((c) => [c.sku, c.classes])).toEqual([
      ['REV-D', ['new-line']],
      ['REV-E', ['new-line']],
    ]);
    expect(line('REV-D')).toBeUndefined();
    await decide(held.map((c) => c.id), 'approve');
    await run(EVERYTHING_WAITS_POLICY, { approvedOnly: true });
    expect(line('REV-D')).toMatchObject({ quantity: 1, effectiveDate: '2026-03-01T00:00:00Z' });
    expect(line('REV-E')).toMatchObject({ quantity: 2 });

    await setLines(account, [
      { sku: 'REV-A', quantity: 11, unitCost: 5, price: 20 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4.1 },
      { sku: 'REV-D', quantity: 1, unitCost: 1, price: 9 },
      { sku: 'REV-E', quantity: 2, unitCost: 1, price: 9 },
    ]);
    await run(NOTHING_WAITS_POLICY);
    expect(line('REV-A')).toMatchObject({ quantity: 11 });
    expect(await queue()).toEqual([]);
  });

  it('a new line approved days later starts on the day it was first seen', async () => {
    await setLines(account, [
      { sku: 'REV-A', quantity: 11, unitCost: 5, price: 20 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4.1 },
      { sku: 'REV-D', quantity: 1, unitCost: 1, price: 9 },
      { sku: 'REV-E', quantity: 2, unitCost: 1, price: 9 },
      { sku: 'REV-F', quantity: 5, unitCost: 1, price: 2 },
    ]);
    await run(EVERYTHING_WAITS_POLICY, { runDate: '2026-03-10' });
    const [newLine] = await queue();
    expect(newLine).toMatchObject({ sku: 'REV-F', firstSeenOn: '2026-03-10' });
    await decide([newLine.id], 'approve');
    await run(EVERYTHING_WAITS_POLICY, { approvedOnly: true, runDate: '2026-03-14' });
    expect(line('REV-F')).toMatchObject({ quantity: 5, effectiveDate: '2026-03-10T00:00:00Z' });
  });

  it('a crash between an approved create and its ownership record: the redelivered run adopts the line (no second create), and a later drop retires it', async () => {
    const other = h.accountIds[1];
    await setLines(other, [{ sku: 'REV-K', quantity: 2, unitCost: 1, price: 5 }]);
    await run(EVERYTHING_WAITS_POLICY, { accountId: other });
    const held = (await queue()).filter((c) => c.accountId === other);
    expect(held.map((c) => c.sku)).toEqual(['REV-K']);
    await decide(held.map((c) => c.id), 'approve');

    // The worker dies right after ConnectWise answered the create: the ownership record is never saved.
    const ownership = h.stores.ownership;
    const crashing: typeof ownership = {
      list: (partnerId, agreementId) => ownership.list(partnerId, agreementId),
      save: () => Promise.reject(new Error('worker killed')),
      remove: (partnerId, agreementId, key) => ownership.remove(partnerId, agreementId, key),
    };
    const crashed = h.exportAll(settings, { accountIds: [other], review: { policy: EVERYTHING_WAITS_POLICY, approvedOnly: true }, stores: { ownership: crashing } });
    await expect(crashed).rejects.toThrow(/save ownership/);
    expect(h.additions(other).filter((a) => !a.cancelledDate)).toHaveLength(1);

    const redelivered = await run(EVERYTHING_WAITS_POLICY, { accountId: other, approvedOnly: true });
    expect(redelivered.accounts[0].operations.map((op) => op.action)).toEqual(['adopt']);
    expect(h.additions(other).filter((a) => !a.cancelledDate)).toHaveLength(1);
    expect((await queue('applied')).filter((c) => c.accountId === other).map((c) => c.sku)).toEqual(['REV-K']);

    // The platform drops the SKU: the line is ours, so the drop is planned (and, with nothing waiting, written).
    await setLines(other, [{ sku: 'REV-L', quantity: 1, unitCost: 1, price: 5 }]);
    await run(NOTHING_WAITS_POLICY, { accountId: other });
    expect(line('REV-K', other)).toMatchObject({ quantity: 0 });
  });

  it('an unchanged run with a policy makes the same ConnectWise calls as without one: one additions read for the account', async () => {
    const policy = { ...RECOMMENDED_REVIEW_POLICY, quantityChange: 'end-and-start' as const };
    await run(policy);
    h.sim.resetRequests();
    const withPolicy = await run(policy);
    const agreementCalls = h.sim.requests().filter((r) => r.apiPath.startsWith('/finance/agreements'));
    expect(withPolicy.accounts[0].status).toBe('unchanged');
    expect(agreementCalls.map((r) => `${r.method} ${r.route}`)).toEqual(['GET /finance/agreements/{parentId}/additions']);
    const callsWith = h.sim.requests().length;
    h.sim.resetRequests();
    await h.exportAll(settings, { accountIds: [account] });
    expect(h.sim.requests().length).toBe(callsWith);
  });

  describe('a hand edit in ConnectWise between runs', () => {
    const editQuantity = async (sku: string, quantity: number) => {
      const addition = line(sku)!;
      await h.client.additions.patch(h.agreementOf(account), Number(addition.id), [{ op: 'replace', path: 'quantity', value: quantity }]);
    };
    const lines = (a: number): Line[] => [
      { sku: 'REV-A', quantity: a, unitCost: 5, price: 20 },
      { sku: 'REV-C', quantity: 3, unitCost: 1, price: 4.1 },
      { sku: 'REV-D', quantity: 1, unitCost: 1, price: 9 },
      { sku: 'REV-E', quantity: 2, unitCost: 1, price: 9 },
      { sku: 'REV-F', quantity: 5, unitCost: 1, price: 2 },
    ];

    it('"overwrite": reported with both values, and the platform value written over it', async () => {
      await editQuantity('REV-A', 15);
      await setLines(account, lines(17)); // an increase over their 15: written under the recommended policy
      const { accounts } = await run({ ...RECOMMENDED_REVIEW_POLICY, editedLines: 'overwrite' });
      const warning = accounts[0].warnings.find((w) => w.code === 'edited-in-connectwise');
      expect(warning).toMatchObject({ sku: 'REV-A' });
      expect(warning!.message).toContain('quantity ours 11, ConnectWise 15');
      expect(line('REV-A')).toMatchObject({ quantity: 17 });
    });

    it('"keep": their edit stays and our change waits in the queue as edited in ConnectWise', async () => {
      await editQuantity('REV-A', 16);
      await setLines(account, lines(18));
      const { accounts } = await run({ ...RECOMMENDED_REVIEW_POLICY, editedLines: 'keep' });
      expect(accounts[0].warnings.find((w) => w.code === 'edited-in-connectwise')?.message).toContain('quantity ours 17, ConnectWise 16');
      expect(line('REV-A')).toMatchObject({ quantity: 16 });
      expect(await queue()).toMatchObject([{ sku: 'REV-A', reason: 'edited-in-connectwise', before: { quantity: 16 }, after: { quantity: 18 } }]);
      const later = await run({ ...RECOMMENDED_REVIEW_POLICY, editedLines: 'keep' });
      expect(later.accounts[0].status).toBe('unchanged');
      expect(await queue()).toHaveLength(1);
    });
  });

  describe('quantity change on a prorating agreement (simulator proration model)', () => {
    const lines: Line[] = [{ sku: 'REV-P', quantity: 10, unitCost: 5, price: 20 }];

    async function prorating(accountId: string) {
      await h.client.agreements.patch(h.agreementOf(accountId), [{ op: 'replace', path: 'prorateFlag', value: true }]);
      await setLines(accountId, lines);
      await run(NOTHING_WAITS_POLICY, { accountId, runDate: '2026-11-01' });
      await setLines(accountId, [{ ...lines[0], quantity: 12 }]);
    }

    it('"in-place": one line patched to 12, December billed at 12 for the whole month', async () => {
      const accountId = h.accountIds[1];
      await prorating(accountId);
      await run({ ...NOTHING_WAITS_POLICY, quantityChange: 'in-place' }, { accountId, runDate: '2026-12-15' });
      const productId = h.catalogIds().get('rev-p');
      const held = h.additions(accountId).filter((a) => productIdOf(a) === productId);
      expect(held).toMatchObject([{ quantity: 12, effectiveDate: '2026-11-01T00:00:00Z' }]);
      expect(h.sim.state.billedInMonth(h.agreementOf(accountId), '2026-12')).toBe(240);
    });

    it('"end-and-start": the line ends on the change date and a new one starts that day; December billed 14 days at 10 and 17 at 12', async () => {
      const accountId = h.accountIds[2];
      await prorating(accountId);
      await run({ ...NOTHING_WAITS_POLICY, quantityChange: 'end-and-start' }, { accountId, runDate: '2026-12-15' });
      const productId = h.catalogIds().get('rev-p');
      const held = h.additions(accountId).filter((a) => productIdOf(a) === productId);
      expect(held).toMatchObject([
        { quantity: 10, effectiveDate: '2026-11-01T00:00:00Z', cancelledDate: '2026-12-15T00:00:00Z' },
        { quantity: 12, effectiveDate: '2026-12-15T00:00:00Z', unitPrice: 20, unitCost: 5, proratePrice: 10.9677, extendedProratePrice: 131.6124 },
      ]);
      expect(held[1].cancelledDate ?? null).toBeNull();
      // 10 × 20 × 14/31 = 90.32 and 12 × 20 × 17/31 = 131.61, each line rounded to cents
      expect(h.sim.state.billedInMonth(h.agreementOf(accountId), '2026-12')).toBe(221.93);
      const next = await run({ ...NOTHING_WAITS_POLICY, quantityChange: 'end-and-start' }, { accountId, runDate: '2026-12-16' });
      expect(next.accounts[0].status).toBe('unchanged');
    });
  });
});
