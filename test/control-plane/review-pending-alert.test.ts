/**
 * The `review.pending` alert after a run: one per distinct set of pending changes. A second run that leaves the same
 * changes waiting (even with other amounts) alerts nobody again; a set that changed alerts once more. The alert's
 * subject is the digest of the pending ids (computed by the database), the same key as the one written before it
 * was computed there, so alerts already sent are not sent again. On both drivers.
 */
import { randomUUID, createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { BOTH_DRIVERS } from '../support/postgres';
import { integrations, notifications, notificationSettings, openDatabase, partners, reviewChanges, runs, type DatabaseHandle } from '../../libs/persistence/src';
import { AccountsRepository } from '../../apps/control-plane/src/mapping/accounts.repository';
import { NotificationSettingsRepository } from '../../apps/control-plane/src/notifications/notification-settings.repository';
import { NotificationTriggers } from '../../apps/control-plane/src/notifications/notification-triggers';
import { NotificationsRepository } from '../../apps/control-plane/src/notifications/notifications.repository';
import { PartnersRepository } from '../../apps/control-plane/src/partners/partners.repository';
import { ReviewChangesRepository } from '../../apps/control-plane/src/review/review-changes.repository';
import { RunsRepository } from '../../apps/control-plane/src/runs/runs.repository';

const P = 'p-review-alert';

describe.each(BOTH_DRIVERS)('the review.pending alert on %s', (_name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let triggers: NotificationTriggers;

  beforeAll(async () => {
    const s = await setup(2);
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    const db = handle.db;
    triggers = new NotificationTriggers(
      new RunsRepository(db),
      new AccountsRepository(db),
      new ReviewChangesRepository(db),
      new PartnersRepository(db),
      new NotificationSettingsRepository(db),
      new NotificationsRepository(db),
    );
    await handle.db.insert(partners).values({ id: P, name: P });
    await handle.db.insert(integrations).values({ partnerId: P, state: 'active' });
    await handle.db.insert(notificationSettings).values({ partnerId: P, emailRecipients: ['ops@msp.test'], events: ['review.pending'] });
  });

  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });

  /** A run finishes: the triggers run in its transaction. */
  async function runFinished(): Promise<void> {
    const id = randomUUID();
    await handle.db.insert(runs).values({ id, partnerId: P, trigger: 'manual', status: 'succeeded', finishedAt: new Date() });
    await handle.db.transaction((tx) => triggers.runFinished(tx, id));
  }

  const alerts = () => handle.db.select().from(notifications).where(and(eq(notifications.partnerId, P), eq(notifications.event, 'review.pending'))).orderBy(notifications.id);

  async function pending(keys: number[], amounts: (number | null)[]): Promise<number[]> {
    const rows = await handle.db
      .insert(reviewChanges)
      .values(
        keys.map((k, i) => ({
          partnerId: P,
          accountId: `a${k}`,
          accountName: `Account ${k}`,
          agreementId: k,
          sku: `SKU-${k}`,
          fingerprint: `f${k}`,
          classes: ['increase'],
          reason: 'policy' as const,
          after: { quantity: k },
          monthlyAmount: amounts[i],
          firstSeenOn: '2026-12-01',
        })),
      )
      .returning({ id: reviewChanges.id });
    return rows.map((r) => r.id);
  }

  it('nothing pending: no alert', async () => {
    await runFinished();
    expect(await alerts()).toEqual([]);
  });

  it('alerts once per distinct pending set, with the count and the monthly amounts', async () => {
    // Ten and more changes: ids of one and two digits, so the digest's order (as text) is not the numeric one.
    const ids = await pending([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [12.5, -4.25, null, 1, 1, 1, 1, 1, 1, 1, 0.1]);
    await runFinished();
    const [first, ...more] = await alerts();
    expect(more).toEqual([]);
    expect(first.payload).toEqual({ count: 11, monthlyAdded: 19.6, monthlyRemoved: -4.25 });
    // The key as it was computed in the process: stored keys of sets already alerted stay valid.
    const digest = createHash('sha256').update(ids.map(String).sort().join('\n')).digest('hex').slice(0, 32);
    expect(first.subjectKey).toBe(`review:${digest}`);

    // Another run, the same changes waiting (one amount changed): no second alert.
    await handle.db.update(reviewChanges).set({ monthlyAmount: 3 }).where(eq(reviewChanges.id, ids[0]));
    await runFinished();
    expect(await alerts()).toHaveLength(1);

    // Two decided: another set, another alert.
    await handle.db.update(reviewChanges).set({ status: 'approved' }).where(inArray(reviewChanges.id, ids.slice(0, 2)));
    await runFinished();
    const after = await alerts();
    expect(after).toHaveLength(2);
    expect(after[1].payload).toEqual({ count: 9, monthlyAdded: 7.1, monthlyRemoved: 0 });
    await runFinished();
    expect(await alerts()).toHaveLength(2);
  });
});
