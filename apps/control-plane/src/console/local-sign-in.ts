import type { INestApplication } from '@nestjs/common';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlPlaneConfig } from '@cwx/config';
import { PartnersRepository } from '../partners/partners.repository';
import { consoleSignInUrl } from './console.controller';
import { SignInCodesRepository } from './sign-in-codes.repository';

/**
 * Local mode: one-time console links for the partners this installation knows (those with rows, or
 * else the partners of the platform data folder), printed by `npm start`. Each works once, for 15 minutes.
 */
export async function localConsoleLinks(app: INestApplication, config: ControlPlaneConfig, baseUrl: string): Promise<{ partnerId: string; url: string }[]> {
  const known = await app.get(PartnersRepository).list();
  const candidates = known.length > 0 ? known : (await folderPartners(config)).map((id) => ({ id, name: id }));
  const codes = app.get(SignInCodesRepository);
  const links = [];
  for (const partner of candidates) {
    const { code } = await codes.create({ kind: 'partner', subject: 'local-console', partnerId: partner.id, partnerName: partner.name });
    links.push({ partnerId: partner.id, url: consoleSignInUrl(baseUrl, code) });
  }
  return links;
}

async function folderPartners(config: ControlPlaneConfig): Promise<string[]> {
  if (config.platform.kind !== 'folder') return [];
  const dir = config.platform.dataDir;
  const entries = await readdir(dir).catch(() => [] as string[]);
  const found: string[] = [];
  for (const entry of entries.sort()) {
    if (await stat(join(dir, entry, 'partner.json')).then(() => true, () => false)) found.push(entry);
  }
  return found;
}
