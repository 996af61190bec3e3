import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderPlatformSource, iterateAccounts, sumPlanLines, toPlatformUsers } from '@cwx/platform';
import { generatePartner } from './generate-partner';
import { nameKey } from './names';
import { Random } from './prng';
import { writePartnerToFolder } from './write-partner';

const HOSTILE_START = /^[=+\-@]/;

async function folderDigest(dir: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    digests.set(path.slice(dir.length), createHash('sha256').update(await readFile(path)).digest('hex'));
  }
  return digests;
}

describe('Random', () => {
  it('repeats its sequence for a seed and differs for another', () => {
    const draw = (seed: number | string) => {
      const rng = Random.derive(seed);
      return Array.from({ length: 5 }, () => rng.next());
    };
    const a = Random.derive('s');
    const b = Random.derive('s');
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(draw(1)).not.toEqual(draw('1'));
  });

  it('keeps integers within bounds, both ends reachable', () => {
    const rng = new Random(42);
    const seen = new Set(Array.from({ length: 2000 }, () => rng.int(3, 7)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });
});

describe('generatePartner', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'cwx-gen-'));
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('writes byte-identical folders for the same seed', async () => {
    const options = { partnerId: 'same', seed: 7, accounts: 40, hostileNames: 0.1 };
    const first = await folderDigest(await writePartnerToFolder(generatePartner(options), join(tmp, 'a')));
    const second = await folderDigest(await writePartnerToFolder(generatePartner(options), join(tmp, 'b')));
    expect(first.size).toBe(4 + 2 + 40);
    expect(second).toEqual(first);
  });

  it('differs for a different seed', () => {
    const a = generatePartner({ partnerId: 'p', seed: 1, accounts: 20 });
    const b = generatePartner({ partnerId: 'p', seed: 2, accounts: 20 });
    expect(b.accounts.map((x) => x.account.name)).not.toEqual(a.accounts.map((x) => x.account.name));
  });

  it('keeps the first accounts the same whatever the total', () => {
    const small = generatePartner({ partnerId: 'p', seed: 3, accounts: 10 });
    const large = generatePartner({ partnerId: 'p', seed: 3, accounts: 200 });
    expect(large.accounts.slice(0, 10)).toEqual(small.accounts);
  });

  it('stays within the requested sizes', () => {
    const partner = generatePartner({ partnerId: 'p', seed: 4, accounts: 300, skusPerAccount: { min: 2, max: 5 }, usersPerAccount: { min: 3, max: 9 } });
    expect(partner.accounts).toHaveLength(300);
    const skuCounts = partner.accounts.map((a) => sumPlanLines(a.subscriptions).length);
    const userCounts = partner.accounts.map((a) => a.users.length);
    expect(Math.min(...skuCounts)).toBe(2);
    expect(Math.max(...skuCounts)).toBe(5);
    expect(Math.min(...userCounts)).toBe(3);
    expect(Math.max(...userCounts)).toBe(9);
    const partnerSkus = new Set(partner.skus.map((s) => s.sku));
    expect(partner.accounts.every((a) => a.subscriptions.every((l) => partnerSkus.has(l.sku)))).toBe(true);
  });

  it('gives every account a unique id and company, and users unique e-mails', () => {
    const partner = generatePartner({ partnerId: 'p', seed: 5, accounts: 2000, usersPerAccount: 3 });
    expect(new Set(partner.accounts.map((a) => a.account.id)).size).toBe(2000);
    expect(new Set(partner.accounts.map((a) => nameKey(a.cleanName))).size).toBe(2000);
    for (const a of partner.accounts) expect(new Set(a.users.map((u) => u.email)).size).toBe(a.users.length);
  });

  it('prices most SKUs above cost, a few not at all', () => {
    const partner = generatePartner({ partnerId: 'p', seed: 6, accounts: 1, skusPerAccount: 40 });
    const above = partner.retailPrices.filter((p) => p.price > partner.skuCosts[p.sku]);
    expect(above.length / partner.retailPrices.length).toBeGreaterThan(0.8);
    expect(partner.retailPrices.length).toBeLessThanOrEqual(partner.skus.length);
  });

  it('adds noise to some account names only, and hostile names only when asked', () => {
    const quiet = generatePartner({ partnerId: 'p', seed: 8, accounts: 500 });
    const noisy = quiet.accounts.filter((a) => a.account.name !== a.cleanName);
    expect(noisy.length).toBeGreaterThan(20);
    expect(noisy.length).toBeLessThan(100);
    const names = quiet.accounts.flatMap((a) => [a.account.name, ...a.users.map((u) => u.displayName)]);
    expect(names.some((n) => HOSTILE_START.test(n))).toBe(false);

    const hostile = generatePartner({ partnerId: 'p', seed: 8, accounts: 500, hostileNames: 0.05, noisyNames: 0 });
    const hostileAccounts = hostile.accounts.filter((a) => HOSTILE_START.test(a.account.name));
    expect(hostileAccounts.length).toBeGreaterThan(5);
    expect(hostileAccounts.length).toBeLessThan(60);
    expect(hostileAccounts.every((a) => a.nameVariations.includes('hostile') && a.account.name.slice(1) === a.cleanName)).toBe(true);
    expect(hostile.accounts.some((a) => a.users.some((u) => HOSTILE_START.test(u.displayName)))).toBe(true);
  });

  it('produces a ConnectWise view with variants of a share of accounts plus unrelated companies', () => {
    const partner = generatePartner({ partnerId: 'p', seed: 9, accounts: 1000, connectwiseShare: 0.5, unrelatedCompanies: 120 });
    const { companies, matches } = partner.connectwise;
    expect(matches.length).toBeGreaterThan(430);
    expect(matches.length).toBeLessThan(570);
    expect(companies.length).toBeGreaterThanOrEqual(matches.length + 110);
    expect(new Set(companies.map((c) => c.identifier.toLowerCase())).size).toBe(companies.length);
    expect(companies.every((c) => /^[A-Za-z0-9]{1,25}$/.test(c.identifier))).toBe(true);

    const byId = new Map(companies.map((c) => [c.id, c]));
    const clean = new Map(partner.accounts.map((a) => [a.account.id, a.cleanName]));
    const kinds = new Set<string>();
    for (const m of matches) {
      const company = byId.get(m.companyId)!;
      if (m.companyVariations.length === 0) expect(company.name).toBe(clean.get(m.accountId));
      else expect(company.name).not.toBe(clean.get(m.accountId));
      m.companyVariations.forEach((v) => kinds.add(v));
    }
    expect([...kinds].sort()).toEqual(
      ['abbreviation', 'ampersand', 'case', 'legal-form-added', 'legal-form-changed', 'legal-form-removed', 'punctuation', 'typo'],
    );
    // ids are not handed out in account order
    expect(matches.map((m) => m.companyId)).not.toEqual([...matches.map((m) => m.companyId)].sort((a, b) => a - b));
  });

  it('round-trips through the folder adapter', async () => {
    const partner = generatePartner({ partnerId: 'trip', seed: 10, accounts: 60, hostileNames: 0.1 });
    const dir = join(tmp, 'trip');
    await writePartnerToFolder(partner, dir);
    const source = new FolderPlatformSource(dir);
    await expect(source.getPartner('trip')).resolves.toEqual(partner.partner);
    const listed = [];
    for await (const account of iterateAccounts(source, 'trip', 25)) listed.push(account);
    expect(listed).toEqual(partner.accounts.map((a) => a.account));
    for (const a of partner.accounts) {
      await expect(source.getSubscriptions('trip', a.account.id)).resolves.toEqual(sumPlanLines(a.subscriptions));
      await expect(source.getUsers('trip', a.account.id)).resolves.toEqual(toPlatformUsers(a.users));
    }
    expect((await source.getRetailPrices('trip')).prices).toEqual(partner.retailPrices);
  });

  it('replaces an earlier copy of the partner whole', async () => {
    const dir = join(tmp, 'replace');
    await writePartnerToFolder(generatePartner({ partnerId: 'r', seed: 1, accounts: 30 }), dir);
    await writePartnerToFolder(generatePartner({ partnerId: 'r', seed: 1, accounts: 5 }), dir);
    expect(await readdir(join(dir, 'r', 'accounts'))).toHaveLength(5);
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('generates 10,000 accounts in seconds', () => {
    const started = Date.now();
    const partner = generatePartner({ partnerId: 'big', seed: 11, accounts: 10_000 });
    expect(partner.accounts).toHaveLength(10_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('rejects impossible options with the option named', () => {
    expect(() => generatePartner({ partnerId: 'p', seed: 1, accounts: 0 })).toThrow(/accounts/);
    expect(() => generatePartner({ partnerId: 'p', seed: 1, accounts: 5, skusPerAccount: { min: 4, max: 2 } })).toThrow(/skusPerAccount/);
    expect(() => generatePartner({ partnerId: 'p', seed: 1, accounts: 5, connectwiseShare: 2 })).toThrow(/connectwiseShare/);
    expect(() => generatePartner({ partnerId: '../p', seed: 1, accounts: 5 })).toThrow(/partnerId/);
  });
});
