/**
 * The rule of partner-transaction.ts, enforced by migration 0013: a transaction that writes one partner's
 * `account_mappings` rows in more than one statement must have locked them first (inPartnerTransaction), or
 * the database refuses the second statement. Single statements, of one row or many, need no lock.
 */
import { and, eq, sql } from 'drizzle-orm';
import { BOTH_DRIVERS } from '../support/postgres';
import { accountMappings, inPartnerTransaction, openDatabase, partners, type DatabaseHandle } from '../../libs/persistence/src';

describe.each(BOTH_DRIVERS)('writing account_mappings on %s', (_name, setup) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  const row = (partnerId: string, accountId: string) => and(eq(accountMappings.partnerId, partnerId), eq(accountMappings.accountId, accountId));
  const rename = (partnerId: string, accountId: string) => sql`${accountMappings.accountName} || ${`:${partnerId}${accountId}`}`;

  beforeAll(async () => {
    const s = await setup(4);
    cleanup = s.cleanup;
    handle = openDatabase(s.options);
    await handle.migrate();
    await handle.db.insert(partners).values(['p1', 'p2'].map((id) => ({ id, name: id })));
    // one statement of many rows: no lock needed
    await handle.db.insert(accountMappings).values(['p1', 'p2'].flatMap((partnerId) => ['a1', 'a2', 'a3'].map((accountId) => ({ partnerId, accountId, accountName: accountId }))));
  });

  afterAll(async () => {
    await handle?.close();
    await cleanup?.();
  });

  const names = async (partnerId: string) =>
    (await handle.db.select({ name: accountMappings.accountName }).from(accountMappings).where(eq(accountMappings.partnerId, partnerId)).orderBy(accountMappings.accountId)).map((r) => r.name);

  it('refuses a transaction writing a partner’s rows in two statements without the lock, and rolls it back', async () => {
    const before = await names('p1');
    const attempt = handle.db.transaction(async (tx) => {
      await tx.update(accountMappings).set({ accountName: rename('p1', 'a1') }).where(row('p1', 'a1'));
      await tx.update(accountMappings).set({ accountName: rename('p1', 'a2') }).where(row('p1', 'a2'));
    });
    await expect(attempt).rejects.toThrow();
    const error = (await attempt.catch((e: unknown) => e)) as Error & { cause?: Error };
    expect(`${error.message} ${error.cause?.message ?? ''}`).toMatch(/several statements without locking them first/);
    expect(await names('p1')).toEqual(before);
  });

  it('lets inPartnerTransaction write the partner’s rows in as many statements as it likes', async () => {
    await inPartnerTransaction(handle.db, 'p1', async ({ tx }) => {
      await tx.update(accountMappings).set({ accountName: 'one' }).where(row('p1', 'a1'));
      await tx.update(accountMappings).set({ accountName: 'two' }).where(row('p1', 'a2'));
      await tx.insert(accountMappings).values({ partnerId: 'p1', accountId: 'a4', accountName: 'four' });
      await tx.delete(accountMappings).where(row('p1', 'a4'));
    });
    expect(await names('p1')).toEqual(['one', 'two', 'a3']);
  });

  it('covers only the partner it locked', async () => {
    const attempt = inPartnerTransaction(handle.db, 'p1', async ({ tx }) => {
      await tx.update(accountMappings).set({ accountName: 'x' }).where(row('p2', 'a1'));
      await tx.update(accountMappings).set({ accountName: 'y' }).where(row('p2', 'a2'));
    });
    await expect(attempt).rejects.toThrow();
    expect(await names('p2')).toEqual(['a1', 'a2', 'a3']);
  });

  it('needs no lock for single statements (one row or many), nor for one statement per partner', async () => {
    await handle.db.update(accountMappings).set({ exportEnabled: true }).where(eq(accountMappings.partnerId, 'p2'));
    await handle.db.update(accountMappings).set({ accountName: 'solo' }).where(row('p2', 'a3'));
    await handle.db.transaction(async (tx) => {
      await tx.update(accountMappings).set({ exportEnabled: false }).where(eq(accountMappings.partnerId, 'p1'));
      await tx.update(accountMappings).set({ exportEnabled: false }).where(eq(accountMappings.partnerId, 'p2'));
    });
    expect(await names('p2')).toEqual(['a1', 'a2', 'solo']);
  });
});
