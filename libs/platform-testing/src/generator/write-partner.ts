import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FOLDER_FILES, type AccountFile, type AccountsFile, type PartnerDocument, type RetailPricesFile, type SkusFile } from '@cwx/platform';
import type { GeneratedPartner, PartnerChange } from './types';

/** Besides the platform files: the ConnectWise view (companies + ground truth) and the options used. */
export const GENERATOR_FILES = {
  connectwiseView: 'connectwise-view.json',
  generator: 'generator.json',
  changes: 'changes.json',
} as const;

/** Partner-level files are indented for reading; account files (thousands of them) are compact. */
const json = (value: unknown, indent = 2): string => `${JSON.stringify(value, null, indent)}\n`;

/**
 * Writes the partner as `<dir>/<partnerId>/…` in the data folder layout (README.md), replacing any
 * earlier copy whole: files are written to a sibling temporary folder that is then renamed into place.
 * `changes`, when given, is written to changes.json. Output is byte-identical for identical input.
 */
export async function writePartnerToFolder(partner: GeneratedPartner, dir: string, changes?: PartnerChange[]): Promise<string> {
  const target = join(dir, partner.partner.id);
  const staging = join(dir, `.${partner.partner.id}.writing-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, FOLDER_FILES.accountDir), { recursive: true });

  const files: [string, unknown][] = [
    [FOLDER_FILES.partner, partner.partner satisfies PartnerDocument],
    [FOLDER_FILES.skus, { items: partner.skus } satisfies SkusFile],
    [FOLDER_FILES.retailPrices, { items: partner.retailPrices } satisfies RetailPricesFile],
    [FOLDER_FILES.accounts, { items: partner.accounts.map((a) => a.account) } satisfies AccountsFile],
    [GENERATOR_FILES.connectwiseView, partner.connectwise],
    [GENERATOR_FILES.generator, { generator: '@cwx/platform', options: partner.options }],
  ];
  if (changes) files.push([GENERATOR_FILES.changes, { changes }]);
  for (const [name, value] of files) await writeFile(join(staging, name), json(value));

  const accountFiles = partner.accounts.map(
    (a) => [join(staging, FOLDER_FILES.accountDir, `${a.account.id}.json`), { subscriptions: a.subscriptions, users: a.users } satisfies AccountFile] as const,
  );
  for (let i = 0; i < accountFiles.length; i += 64) {
    await Promise.all(accountFiles.slice(i, i + 64).map(([path, value]) => writeFile(path, json(value, 0))));
  }

  await rm(target, { recursive: true, force: true });
  await rename(staging, target);
  return target;
}
