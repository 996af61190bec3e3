import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlatformInvalidDataError, PlatformNotFoundError } from '../contract/errors';
import { SAMPLE_FILES, SAMPLE_PARTNER_ID as P, sampleDataDir, writeFolder } from '@cwx/platform-testing';
import { FolderPlatformSource } from './folder-platform-source';

describe('FolderPlatformSource: validating the files it reads', () => {
  let dir: string;
  let source: FolderPlatformSource;

  beforeEach(async () => {
    dir = await sampleDataDir();
    source = new FolderPlatformSource(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const failure = async (call: Promise<unknown>): Promise<PlatformInvalidDataError> => {
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformInvalidDataError);
    return error as PlatformInvalidDataError;
  };

  it('names the file and every bad field of an account file', async () => {
    await writeFolder(dir, P, {
      'accounts/acc-2.json': {
        subscriptions: [{ planId: 'x', sku: 'DOMAIN-COM', quantity: '3', unitCost: -1 }],
        users: [{ id: 'u', email: 'no-at-sign', displayName: 'U', services: [{ name: 'Mail' }] }],
      },
    });
    const error = await failure(source.getSubscriptions(P, 'acc-2'));
    expect(error.source).toBe(join(P, 'accounts', 'acc-2.json'));
    expect(error.problems.map((p) => p.field)).toEqual([
      'subscriptions[0].quantity',
      'subscriptions[0].unitCost',
      'users[0].email',
      'users[0].services[0].enabled',
    ]);
    expect(error.message).toContain('subscriptions[0].unitCost: must be at least 0');
  });

  it('leaves a repeated account id out and reports it with the index of the first one; the others are listed', async () => {
    const accounts = SAMPLE_FILES['accounts.json'] as { items: object[] };
    await writeFolder(dir, P, { 'accounts.json': { items: [...accounts.items, { id: 'acc-1', name: 'Again', status: 'active' }] } });
    const page = await source.listAccounts(P);
    expect(page.items.map((a) => [a.id, a.name])).toEqual([['acc-1', 'Alpha & Omega Ltd'], ['acc-2', '=Beta Logistics GmbH'], ['acc-3', 'Gamma Dental LLC']]);
    expect(page.rejected).toEqual([{ index: 3, id: 'acc-1', problems: [{ field: 'id', problem: 'repeats the account id of item 1' }] }]);
    expect((await source.listAccounts(P, { page: 2, pageSize: 2 })).rejected).toBeUndefined();
  });

  it('neutralises NUL characters and lone surrogates in names instead of failing the list', async () => {
    await writeFolder(dir, P, { 'accounts.json': { items: [{ id: 'acc-1', name: 'Ac\u0000me \ud800Corp', status: 'active' }, { id: 'acc-2', name: '\u0000', status: 'active' }] } });
    const page = await source.listAccounts(P);
    expect(page.items).toEqual([{ id: 'acc-1', name: 'Acme \ufffdCorp', status: 'active' }]);
    expect(page.rejected).toEqual([{ index: 1, id: 'acc-2', problems: [{ field: 'name', problem: 'must not be empty' }] }]);
  });

  it('reports a file that is not JSON', async () => {
    await writeFolder(dir, P, { 'skus.json': '{ "items": [' });
    const error = await failure(source.getSkus(P));
    expect(error.message).toBe(`Invalid platform data in ${join(P, 'skus.json')}: (document): is not valid JSON`);
  });

  it('reports a missing required file, and a partner folder without partner.json as an unknown partner', async () => {
    await unlink(join(dir, P, 'retail-prices.json'));
    expect((await failure(source.getRetailPrices(P))).problems).toEqual([{ field: '', problem: 'file is missing' }]);
    await unlink(join(dir, P, 'partner.json'));
    await expect(source.getSkus(P)).rejects.toBeInstanceOf(PlatformNotFoundError);
  });

  it('requires partner.json to name its own folder', async () => {
    await writeFolder(dir, P, { 'partner.json': { id: 'someone-else', name: 'X', currency: 'GBP' } });
    expect((await failure(source.getPartner(P))).problems[0].field).toBe('id');
  });

  it('leaves an unsafe id in accounts.json out before it can become a path', async () => {
    await writeFolder(dir, P, { 'accounts.json': { items: [{ id: '../../etc', name: 'X', status: 'active' }, { id: 'acc-1', name: 'Y', status: 'active' }] } });
    const page = await source.listAccounts(P);
    expect(page.items.map((a) => a.id)).toEqual(['acc-1']);
    expect(page.rejected).toEqual([{ index: 0, problems: [{ field: 'id', problem: expect.stringContaining('must be 1-128 letters') as string }] }]);
    await expect(source.getSubscriptions(P, '../../etc')).rejects.toBeInstanceOf(PlatformNotFoundError);
  });

  it('sees a rewritten file on the next call (no stale cache)', async () => {
    expect((await source.listAccounts(P)).total).toBe(3);
    await writeFile(join(dir, P, 'accounts.json'), JSON.stringify({ items: [{ id: 'acc-9', name: 'New Co', status: 'active' }] }));
    const page = await source.listAccounts(P);
    expect(page.items.map((a) => a.id)).toEqual(['acc-9']);
    await expect(source.getUsers(P, 'acc-1')).rejects.toBeInstanceOf(PlatformNotFoundError);
  });
});
