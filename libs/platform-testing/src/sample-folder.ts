import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small hand-written partner covering the contract's edge cases: accounts stored out of order, a
 * SKU billed in two plans at different costs, a disabled and a repeated service, a SKU without retail
 * price, a price with more than 4 decimals, and an account without a file of its own.
 */
export const SAMPLE_PARTNER_ID = 'p-sample';

export const SAMPLE_FILES: Record<string, unknown> = {
  'partner.json': { id: SAMPLE_PARTNER_ID, name: 'Sample MSP Ltd', currency: 'GBP' },
  'skus.json': {
    items: [
      { sku: 'MS-M365-BP', name: 'Microsoft 365 Business Premium', description: 'Office, Intune, Defender', unit: 'user' },
      { sku: 'ACR-BKP-GB', name: 'Acronis Cloud Backup Storage (per GB)', unit: 'GB' },
      { sku: 'DOMAIN-COM', name: 'Domain registration (.com)' },
    ],
  },
  'retail-prices.json': {
    items: [
      { sku: 'MS-M365-BP', price: 26.5 },
      { sku: 'ACR-BKP-GB', price: 0.061249 },
    ],
  },
  'accounts.json': {
    items: [
      { id: 'acc-3', name: 'Gamma Dental LLC', status: 'cancelled' },
      { id: 'acc-1', name: 'Alpha & Omega Ltd', status: 'active' },
      { id: 'acc-2', name: '=Beta Logistics GmbH', status: 'suspended' },
    ],
  },
  'accounts/acc-1.json': {
    subscriptions: [
      { planId: 'plan-a', planName: 'Monthly', sku: 'MS-M365-BP', quantity: 10, unitCost: 20 },
      { planId: 'plan-b', sku: 'MS-M365-BP', quantity: 5, unitCost: 17 },
      { planId: 'plan-a', sku: 'ACR-BKP-GB', quantity: 250.5, unitCost: 0.0375 },
      { planId: 'plan-b', sku: 'DOMAIN-COM', quantity: 0, unitCost: 1.05 },
    ],
    users: [
      {
        id: 'u-2',
        email: 'zoe@alpha.example',
        displayName: 'Zoë Adams',
        services: [
          { name: 'Exchange Online', enabled: true },
          { name: 'Microsoft Teams', enabled: false },
          { name: 'Exchange Online', enabled: true },
        ],
      },
      { id: 'u-1', email: 'al@alpha.example', displayName: '+Al Brown', services: [] },
    ],
  },
  'accounts/acc-2.json': {
    subscriptions: [{ planId: 'plan-c', sku: 'DOMAIN-COM', quantity: 3, unitCost: 1.1 }],
    users: [],
  },
};

/** Writes `files` (path relative to the partner folder → JSON value or raw text) under `dir/partnerId`. */
export async function writeFolder(dir: string, partnerId: string, files: Record<string, unknown>): Promise<void> {
  for (const [name, value] of Object.entries(files)) {
    const path = join(dir, partnerId, name);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  }
}

/** A fresh temporary data folder holding the sample partner. */
export async function sampleDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cwx-platform-'));
  await writeFolder(dir, SAMPLE_PARTNER_ID, SAMPLE_FILES);
  return dir;
}
