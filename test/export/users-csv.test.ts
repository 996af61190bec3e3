/**
 * The users CSV on the agreement: attached once, left alone while the users stay the same, replaced (new
 * document, our old one deleted) when they change, crash-safe, and never touching a document we did not attach.
 */
import { buildUsersCsv } from '@cwx/domain';
import { type StoredUsersCsv, type UsersCsvStore, RetryableExportError, usersCsvTitle } from '../../libs/export/src';
import { settingsWith, useHarness } from './support/harness';

/** Delegates to `inner`, but the next call of `failing` fails (after the inner call when `after` is set). */
class UsersCsvStoreFailingOnce implements UsersCsvStore {
  private armed = true;
  constructor(
    private readonly inner: UsersCsvStore,
    private readonly failing: 'save' | 'markPending',
    private readonly after = false,
  ) {}
  get(partnerId: string, agreementId: number) {
    return this.inner.get(partnerId, agreementId);
  }
  markPending(partnerId: string, agreementId: number, sha256: string) {
    return this.fail('markPending', () => this.inner.markPending(partnerId, agreementId, sha256));
  }
  save(partnerId: string, agreementId: number, document: StoredUsersCsv) {
    return this.fail('save', () => this.inner.save(partnerId, agreementId, document));
  }
  listRecorded(partnerId: string, agreementIds: readonly number[]) {
    return this.inner.listRecorded(partnerId, agreementIds);
  }
  markMissing(partnerId: string, agreementId: number, documentId: number) {
    return this.inner.markMissing(partnerId, agreementId, documentId);
  }
  private async fail(method: 'save' | 'markPending', call: () => Promise<void>): Promise<void> {
    if (!this.armed || method !== this.failing) return call();
    this.armed = false;
    if (this.after) await call();
    throw new Error('Connection terminated unexpectedly');
  }
}

describe('users CSV on the agreement (simulator)', () => {
  const h = useHarness({ partnerId: 'users', seed: 53, accounts: 3, hostileNames: 0.6 });
  const settings = settingsWith({ usersList: true });
  const docsOn = (accountId: string) => h.sim.state.documents().filter((d) => d.recordType === 'Agreement' && d.recordId === h.agreementOf(accountId));
  const addUser = (accountId: string, email: string) =>
    h.editAccount(accountId, (account) =>
      account.users.push({ id: `${accountId}-u9${account.users.length}`, email, displayName: `=HYPERLINK("http://x","${email}")`, services: [{ name: 'Gmail', enabled: true }] }),
    );

  const documentGets = () => h.sim.requests().filter((r) => r.method === 'GET' && /system\/documents/.test(r.path));
  /** Reads of one agreement's documents (the run's batched existence check is counted apart). */
  const documentReads = () => documentGets().filter((r) => /(^|&)recordId=/.test(r.query)).length;
  /** The run's existence check: GET /system/documents?recordType=Agreement&conditions=id in (…), no recordId. */
  const existenceChecks = () => documentGets().filter((r) => !/(^|&)recordId=/.test(r.query)).length;
  const recordOf = (accountId: string) => h.stores.usersCsv.get(h.partnerId, h.agreementOf(accountId));

  it('first run attaches one CSV per agreement, formula cells neutralised in the stored file, without listing documents', async () => {
    h.sim.resetRequests();
    const run = await h.exportAll(settings);
    expect(documentReads()).toBe(0);
    expect(h.sim.countRequests({ method: 'POST', path: /system\/documents/ })).toBe(h.accountIds.length);
    let hostile = 0;
    for (const accountId of h.accountIds) {
      const users = await h.platform.getUsers(h.partnerId, accountId);
      const csv = buildUsersCsv(h.accountName(accountId), users);
      const docs = docsOn(accountId);
      expect(docs).toHaveLength(1);
      expect(docs[0]).toMatchObject({ title: usersCsvTitle(h.accountName(accountId), csv.sha256), fileName: csv.fileName });
      expect(String(docs[0].title).length).toBeLessThanOrEqual(100);
      const stored = (await h.client.documents.download(Number(docs[0].id))).content.toString('utf8');
      expect(stored).toBe(csv.content);
      for (const user of users.filter((u) => /^[=+\-@]/.test(u.displayName))) {
        hostile += 1;
        expect(stored).toContain(`"'${user.displayName.replace(/"/g, '""')}"`);
      }
      expect(stored).not.toMatch(/(^|,)"[=+\-@]/m);
      expect(await recordOf(accountId)).toEqual({ document: { documentId: Number(docs[0].id), sha256: csv.sha256, title: docs[0].title, fileName: csv.fileName } });
      const result = run.accounts.find((r) => r.accountId === accountId)!;
      expect(result.operations.filter((o) => o.entity === 'document')).toEqual([
        { entity: 'document', action: 'attach', id: Number(docs[0].id), changes: [{ field: 'sha256', before: null, after: csv.sha256 }, { field: 'title', before: null, after: docs[0].title }] },
      ]);
    }
    expect(hostile).toBeGreaterThan(0);
  });

  it('unchanged users: no upload, and one batched existence read for the whole run, none per account', async () => {
    h.sim.resetRequests();
    const run = await h.exportAll(settings);
    expect(h.writes()).toBe(0);
    expect(existenceChecks()).toBe(1);
    expect(h.sim.countRequests({ path: /system\/documents/ })).toBe(1);
    expect(run.accounts.every((r) => r.status === 'unchanged')).toBe(true);
  });

  it('changed users: one new document, our old one deleted, a document someone else attached kept', async () => {
    const accountId = h.accountIds[0];
    const agreementId = h.agreementOf(accountId);
    const [old] = docsOn(accountId);
    const theirs = await h.client.documents.upload({ recordType: 'Agreement', recordId: agreementId, title: 'Signed contract', fileName: 'contract.pdf', content: 'pdf' });
    const lookalike = await h.client.documents.upload({ recordType: 'Agreement', recordId: agreementId, title: 'Users - copy (0123456789ab)', fileName: 'my-users.xlsx', content: 'x' });
    await addUser(accountId, 'new.person@example.com');
    h.sim.resetRequests();

    const result = (await h.exportAll(settings, { accountIds: [accountId] })).accounts[0];
    expect(h.sim.countRequests({ method: 'POST', path: /system\/documents/ })).toBe(1);
    expect(h.sim.countRequests({ method: 'DELETE' })).toBe(1);
    expect(documentReads()).toBe(0);
    const ids = docsOn(accountId).map((d) => Number(d.id));
    expect(ids).not.toContain(Number(old.id));
    expect(ids).toEqual(expect.arrayContaining([theirs.id, lookalike.id]));
    expect(ids).toHaveLength(3);
    const doc = result.operations.find((o) => o.entity === 'document')!;
    expect(doc).toMatchObject({ action: 'replace', replacedIds: [Number(old.id)], changes: [{ field: 'sha256' }, { field: 'title', before: old.title }] });
    const content = (await h.client.documents.download(doc.id!)).content.toString('utf8');
    expect(content).toContain(`"'=HYPERLINK(""http://x"",""new.person@example.com"")"`);
  });

  it('preview of a users change: the planned replacement, zero writes', async () => {
    const accountId = h.accountIds[1];
    await addUser(accountId, 'preview@example.com');
    h.sim.resetRequests();
    const [result] = (await h.exportAll(settings, { accountIds: [accountId], dryRun: true })).accounts;
    expect(h.writes()).toBe(0);
    expect(result).toMatchObject({ status: 'changed', plannedWrites: 2, operations: [{ entity: 'document', action: 'replace', id: null }] });
  });

  it('crash after the upload, before its record: retryable; the re-run lists once, adopts that upload and uploads nothing', async () => {
    const accountId = h.accountIds[1];
    const [old] = docsOn(accountId);
    const failing = { usersCsv: new UsersCsvStoreFailingOnce(h.stores.usersCsv, 'save') };
    const error = await h.exportAll(settings, { accountIds: [accountId], stores: failing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableExportError);
    expect(docsOn(accountId)).toHaveLength(1);
    const [uploaded] = docsOn(accountId);
    expect(uploaded.id).not.toBe(old.id);
    expect((await recordOf(accountId))?.pendingSha256).toMatch(/^[0-9a-f]{64}$/);

    h.sim.resetRequests();
    const [result] = (await h.exportAll(settings, { accountIds: [accountId] })).accounts;
    expect(h.sim.countRequests({ method: 'POST' })).toBe(0);
    expect(documentReads()).toBe(1);
    expect(docsOn(accountId).map((d) => d.id)).toEqual([uploaded.id]);
    expect(result.operations).toEqual([expect.objectContaining({ entity: 'document', action: 'adopt', id: uploaded.id })]);
    expect(await recordOf(accountId)).toEqual({ document: expect.objectContaining({ documentId: uploaded.id }) });
  });

  it('crash after marking the upload, before uploading: the re-run lists, uploads once and removes the recorded copy', async () => {
    const accountId = h.accountIds[2];
    const [old] = docsOn(accountId);
    await addUser(accountId, 'marked@example.com');
    const failing = { usersCsv: new UsersCsvStoreFailingOnce(h.stores.usersCsv, 'markPending', true) };
    await expect(h.exportAll(settings, { accountIds: [accountId], stores: failing })).rejects.toBeInstanceOf(RetryableExportError);
    expect(docsOn(accountId).map((d) => d.id)).toEqual([old.id]);

    h.sim.resetRequests();
    const [result] = (await h.exportAll(settings, { accountIds: [accountId] })).accounts;
    expect(documentReads()).toBe(1);
    expect(h.sim.countRequests({ method: 'POST' })).toBe(1);
    const [current] = docsOn(accountId);
    expect(docsOn(accountId)).toHaveLength(1);
    expect(current.id).not.toBe(old.id);
    expect(result.operations).toEqual([expect.objectContaining({ action: 'replace', id: current.id, replacedIds: [old.id] })]);
  });

  it('recorded copy deleted by hand and a copy the ledger does not know (a restored database): both settled, one copy left', async () => {
    const accountId = h.accountIds[0];
    const agreementId = h.agreementOf(accountId);
    const [recorded] = docsOn(accountId).filter((d) => String(d.fileName).endsWith('.csv') && String(d.title).startsWith('Users - ') && d.fileName !== 'contract.pdf');
    await h.client.documents.delete(Number(recorded.id));
    const stray = await h.client.documents.upload({ recordType: 'Agreement', recordId: agreementId, title: 'Users - Old (0123456789ab)', fileName: 'users-old.csv', content: 'a,b' });
    await addUser(accountId, 'restored@example.com');
    h.sim.resetRequests();

    const [result] = (await h.exportAll(settings, { accountIds: [accountId] })).accounts;
    expect(documentReads()).toBe(1);
    const ours = docsOn(accountId).filter((d) => /^Users - .* \([0-9a-f]{12}\)$/.test(String(d.title)) && String(d.fileName).endsWith('.csv'));
    expect(ours).toHaveLength(1);
    expect(ours[0].id).not.toBe(stray.id);
    expect(result.operations).toEqual([expect.objectContaining({ action: 'replace', id: ours[0].id, replacedIds: [stray.id] })]);
    expect((await recordOf(accountId))?.document?.documentId).toBe(ours[0].id);
  });

  it('account renamed, users unchanged: the next run replaces the CSV under the new title and file name, with no document read', async () => {
    const accountId = h.accountIds[1];
    const [old] = docsOn(accountId);
    await h.editAccount(accountId, (account) => {
      account.account.name = 'Renamed Holdings Ltd';
    });
    h.sim.resetRequests();

    const run = await h.exportAll(settings);
    expect(documentReads()).toBe(0);
    expect(existenceChecks()).toBe(1);
    expect(h.sim.countRequests({ method: 'POST', path: /system\/documents/ })).toBe(1);
    expect(h.sim.countRequests({ method: 'DELETE', path: /system\/documents/ })).toBe(1);
    const csv = buildUsersCsv('Renamed Holdings Ltd', await h.platform.getUsers(h.partnerId, accountId));
    const listed = await h.client.documents.listByRecord('Agreement', h.agreementOf(accountId));
    expect(listed.map((d) => ({ title: d.title, fileName: d.fileName }))).toEqual([
      { title: usersCsvTitle('Renamed Holdings Ltd', csv.sha256), fileName: 'users-renamed-holdings-ltd.csv' },
    ]);
    const result = run.accounts.find((r) => r.accountId === accountId)!;
    expect(result.status).toBe('changed');
    expect(result.operations).toEqual([
      expect.objectContaining({
        entity: 'document',
        action: 'replace',
        replacedIds: [Number(old.id)],
        changes: [
          { field: 'sha256', before: csv.sha256, after: csv.sha256 },
          { field: 'title', before: old.title, after: usersCsvTitle('Renamed Holdings Ltd', csv.sha256) },
          { field: 'fileName', before: old.fileName, after: 'users-renamed-holdings-ltd.csv' },
        ],
      }),
    ]);
    expect(run.accounts.filter((r) => r.accountId !== accountId).every((r) => r.status === 'unchanged')).toBe(true);

    h.sim.resetRequests();
    await h.exportAll(settings);
    expect(h.writes()).toBe(0);
  });

  it('our CSV deleted by hand in ConnectWise, users unchanged: put back by the next run, reported changed with a warning', async () => {
    const accountId = h.accountIds[2];
    const [old] = docsOn(accountId);
    await h.client.documents.delete(Number(old.id));
    h.sim.resetRequests();

    const run = await h.exportAll(settings);
    expect(existenceChecks()).toBe(1);
    expect(documentReads()).toBe(1); // only the agreement whose copy is gone lists its documents (strays of ours)
    expect(h.sim.countRequests({ method: 'POST', path: /system\/documents/ })).toBe(1);
    const csv = buildUsersCsv(h.accountName(accountId), await h.platform.getUsers(h.partnerId, accountId));
    const listed = await h.client.documents.listByRecord('Agreement', h.agreementOf(accountId));
    expect(listed.map((d) => d.title)).toEqual([usersCsvTitle(h.accountName(accountId), csv.sha256)]);
    expect((await h.client.documents.download(listed[0].id!)).content.toString('utf8')).toBe(csv.content);
    const result = run.accounts.find((r) => r.accountId === accountId)!;
    expect(result.status).toBe('changed');
    expect(result.operations).toEqual([expect.objectContaining({ entity: 'document', action: 'attach', id: listed[0].id })]);
    expect(result.warnings).toEqual([{ code: 'users-csv-restored', message: expect.stringContaining(`document ${Number(old.id)}`) as string }]);
    expect(run.accounts.filter((r) => r.accountId !== accountId).every((r) => r.status === 'unchanged')).toBe(true);

    h.sim.resetRequests();
    const again = await h.exportAll(settings);
    expect(h.writes()).toBe(0);
    expect(documentReads()).toBe(0);
    expect(again.accounts.every((r) => r.status === 'unchanged' && r.warnings.length === 0)).toBe(true);
  });
});
