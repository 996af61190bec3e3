import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectAccessible, screenshot, server, signIn, sim } from './support';

type Rec = Record<string, unknown> & { id: number };
interface SimState {
  collections: Record<string, Rec[]>;
}
const PARTNER = 'walk-partner';

async function fillCredentials(page: Page, keys: { publicKey: string; privateKey: string }, site = server().simUrl): Promise<void> {
  await page.getByLabel('Site', { exact: true }).selectOption('custom');
  await page.getByLabel('Custom site').fill(site);
  await page.getByLabel('Company ID').fill('demo');
  await page.getByLabel('Public key').fill(keys.publicKey);
  await page.getByLabel('Private key').fill(keys.privateKey);
  await page.getByRole('button', { name: 'Validate and save' }).click();
}

/**
 * Opens a tab of the mapping page and waits until its rows are the tab's (count badge = rows shown).
 * Suggestions are filled in the background after the accounts are read, so a tab opened in the
 * middle may need a second look: clicking it again reads the counts and the rows again.
 */
async function openTab(page: Page, name: RegExp): Promise<number> {
  const tab = page.getByRole('tab', { name });
  let count = 0;
  await expect(async () => {
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true', { timeout: 2000 });
    await expect(tab.locator('.count')).toHaveText(/^\d+$/, { timeout: 5000 });
    count = Number(await tab.locator('.count').textContent());
    await expect(page.locator('table.grid')).toHaveAttribute('aria-busy', 'false', { timeout: 5000 });
    await expect(page.locator('tbody tr[data-account]')).toHaveCount(Math.min(count, 50), { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  return count;
}

test('a new partner walks the wizard, maps by suggestions and by a new company, exports with live progress, reads the log and the CSV', async ({ page }) => {
  test.setTimeout(180_000);
  const before = await sim<SimState>('GET', '/__sim/state');
  await signIn(page, PARTNER, 'Walkthrough MSP');

  // Step 1: credentials, validated live; the private key is never shown again.
  await expect(page.getByRole('heading', { name: 'Step 1: ConnectWise credentials' })).toBeVisible();
  await fillCredentials(page, { publicKey: 'demo-public', privateKey: 'demo-private' });
  await expect(page.getByText(/Connected to ConnectWise/)).toBeVisible();
  await expect(page.getByLabel('Private key')).toHaveValue('');
  expect(await page.content()).not.toContain('demo-private');
  await expectAccessible(page, 'credentials');
  await screenshot(page, 'credentials');

  // Step 2: settings, with the ConnectWise lists read live; the next run in local time and UTC.
  await page.getByRole('button', { name: 'Next: Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Step 2: Settings' })).toBeVisible();
  await expect(page.getByLabel('Agreement type (for new agreements)').locator('option')).not.toHaveCount(1);
  await page.getByLabel('Daily', { exact: true }).check();
  await page.getByLabel('Time of day').fill('02:00');
  await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Amsterdam');
  for (const [field, option] of [
    ['Catalog subcategory', /Cloud Licensing/],
    ['Product type', /Non-Inventory/],
    ['Unit of measure', /Each/],
    ['Agreement type (for new agreements)', /Cloud Services/],
    ['Billing cycle (for new agreements)', /Monthly/],
  ] as const) {
    const select = page.getByLabel(field, { exact: true });
    const value = await select.locator('option', { hasText: option }).first().getAttribute('value');
    await select.selectOption(value ?? '');
  }
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await expect(page.locator('#next-run')).toContainText(/Next export: .* \(Europe\/Amsterdam\) — .* UTC/);
  await expectAccessible(page, 'settings');
  await screenshot(page, 'settings');

  // Step 3: mapping. Unmapped accounts first; suggestions with their confidence and reason.
  await page.getByRole('button', { name: 'Next: Mapping' }).click();
  await expect(page.getByRole('heading', { name: 'Step 3: Mapping' })).toBeVisible();
  await page.getByRole('button', { name: 'Find suggestions' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Suggestions: \d+ of \d+/ })).toBeVisible();
  const suggestedCount = await openTab(page, /Suggested/);
  expect(suggestedCount).toBeGreaterThan(1);
  const suggested = page.locator('tbody tr[data-account]');
  await expect(suggested.first().locator('.confidence')).toHaveText(/\d+%/);
  await expectAccessible(page, 'mapping');
  await screenshot(page, 'mapping');
  // One by one…
  const firstName = (await suggested.first().locator('th').textContent()) ?? '';
  await page.getByRole('button', { name: `Accept suggestion for ${firstName}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${firstName} mapped to` })).toBeVisible();
  await expect(suggested).toHaveCount(suggestedCount - 1);
  // …and the rest in bulk, with the keyboard: select all, then Accept suggestions.
  await page.getByLabel('Select all accounts on this page').focus();
  await page.keyboard.press('Space');
  await page.getByRole('button', { name: 'Accept suggestions' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `Suggestions accepted: ${suggestedCount - 1} accounts.` })).toBeVisible();

  // An unmapped account: a company and an agreement created on the spot.
  const unmappedCount = await openTab(page, /Unmapped/);
  expect(unmappedCount).toBeGreaterThan(1);
  const unmappedRow = page.locator('tbody tr[data-account]').first();
  const newName = (await unmappedRow.locator('th').textContent()) ?? '';
  await page.getByRole('button', { name: `Map ${newName}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('A new company, created now in ConnectWise').check();
  await dialog.getByLabel('Name').fill('Walkthrough New Customer');
  await dialog.getByLabel('City').fill('Springfield');
  await expectAccessible(page, 'mapping dialog');
  await screenshot(page, 'mapping-dialog');
  await dialog.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByRole('status').filter({ hasText: /created in ConnectWise: company “Walkthrough New Customer” and agreement/ })).toBeVisible();

  await expect(page.locator('tbody tr[data-account]')).toHaveCount(unmappedCount - 1);

  // Another one: an existing company found by type-ahead, chosen with the keyboard.
  const typeAheadName = (await page.locator('tbody tr[data-account]').first().locator('th').textContent()) ?? '';
  await page.getByRole('button', { name: `Map ${typeAheadName}` }).click();
  await dialog.getByRole('combobox', { name: 'Company' }).fill('glob');
  await expect(dialog.getByRole('option').first()).toBeVisible();
  await dialog.getByRole('combobox', { name: 'Company' }).press('ArrowDown');
  await dialog.getByRole('combobox', { name: 'Company' }).press('Enter');
  await expect(dialog.getByText(/Chosen: Globex Inc/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${typeAheadName} mapped; created in ConnectWise: agreement` })).toBeVisible();
  await expect(dialog).toBeHidden();

  // Export now, with the progress pushed by the server until the end.
  await page.getByRole('button', { name: 'Finish: go to Management' }).click();
  await expect(page.getByRole('heading', { name: 'Management' })).toBeVisible();
  await page.getByRole('button', { name: 'Start export now' }).click();
  const progress = page.getByRole('progressbar', { name: 'Export progress' });
  await expect(progress).toBeVisible();
  await expect(page.locator('.progress-box')).toContainText('Export finished', { timeout: 120_000 });
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  await expect(page.locator('.progress-box')).toContainText('Succeeded');
  await expect(page.locator('table.grid tbody tr').first()).toContainText('Succeeded');
  await expect(page.locator('.chart svg rect').first()).toBeAttached();
  await expectAccessible(page, 'management');
  await screenshot(page, 'management');

  // The log: each account's operations with before and after; filters; the CSV.
  await page.locator('.progress-box').getByRole('link', { name: 'Open the log' }).click();
  await expect(page.getByRole('heading', { name: 'Export log' })).toBeVisible();
  await page.getByLabel('Show').selectOption('changed');
  const changedRows = page.locator('table.log tbody tr');
  await expect(changedRows.first()).toContainText(/create addition/);
  await expect(page.locator('table.log ins').first()).toBeVisible();
  await expectAccessible(page, 'run log');
  await screenshot(page, 'run-log');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const download = await downloading;
  const csv = readFileSync((await download.path()) ?? '', 'utf8');
  expect(csv.split('\n')[0]).toMatch(/account/i);
  expect(csv).toContain(newName.replace(/"/g, '""'));

  // ConnectWise (the simulator) holds what was exported: the new company, its agreement, additions.
  const after = await sim<SimState>('GET', '/__sim/state');
  const company = after.collections['company/companies'].find((c) => c.name === 'Walkthrough New Customer');
  expect(company).toBeDefined();
  const agreement = after.collections['finance/agreements'].find((a) => (a.company as { id: number }).id === company?.id);
  expect(agreement).toBeDefined();
  const additions = after.collections['finance/agreements/additions'];
  expect(additions.filter((a) => a.agreementId === agreement?.id).length).toBeGreaterThan(0);
  expect(additions.length).toBeGreaterThan(before.collections['finance/agreements/additions'].length + suggestedCount);

  // The preview of the next export: nothing left to change.
  await page.getByRole('link', { name: '← Management' }).click();
  await page.getByRole('button', { name: 'Preview the next export' }).click();
  await expect(page.locator('.preview')).toContainText(/accounts to export/);

  // Reports and alerts.
  await page.getByRole('link', { name: 'Reports and alerts' }).click();
  await page.getByLabel('E-mail recipients').fill('billing@walkthrough.example');
  await page.getByRole('button', { name: 'Save reports and alerts' }).click();
  await expect(page.getByText('Reports and alerts saved.')).toBeVisible();
  await expect(page.locator('table.grid tbody tr').first()).toBeVisible();
  await expectAccessible(page, 'reports');
  await screenshot(page, 'reports');
});
