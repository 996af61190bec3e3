import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePartner } from '../generator/generate-partner';
import { main, UsageError } from './generate-command';

describe('generate command', () => {
  let out: string;
  let stdout: jest.SpyInstance;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'cwx-cli-'));
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(async () => {
    stdout.mockRestore();
    await rm(out, { recursive: true, force: true });
  });

  const readJson = async (...path: string[]) => JSON.parse(await readFile(join(out, ...path), 'utf8'));

  it('writes the same partner as generatePartner with the same numeric seed', async () => {
    await main(['--partner', 'cli', '--accounts', '12', '--seed', '7', '--skus', '2-4', '--out', out]);
    const expected = generatePartner({ partnerId: 'cli', seed: 7, accounts: 12, skusPerAccount: { min: 2, max: 4 } });
    expect((await readJson('cli', 'accounts.json')).items).toEqual(expected.accounts.map((a) => a.account));
    const summary = JSON.parse(String(stdout.mock.calls[0][0]));
    expect(summary).toMatchObject({ partner: 'cli', accounts: 12, changes: 0 });
  });

  it('writes a mutated partner and changes.json with --changed-share', async () => {
    await main(['--partner', 'cli', '--accounts', '20', '--changed-share', '0.5', '--out', out]);
    expect((await readJson('cli', 'changes.json')).changes).toHaveLength(10);
  });

  it('explains its usage when required options are missing or malformed', async () => {
    await expect(main(['--accounts', '5'])).rejects.toBeInstanceOf(UsageError);
    await expect(main(['--partner', 'x', '--accounts', '5', '--users', 'lots'])).rejects.toThrow(/--users must be N or MIN-MAX/);
    await expect(main(['--partner', 'x', '--accounts', 'ten'])).rejects.toThrow(/--accounts must be a number/);
  });
});
