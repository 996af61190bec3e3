import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiCall, expectAccessible, screenshot, server, signIn, sim } from './support';

/**
 * Billing control (issue 18) and the review queue (issue 19) in the console, against local mode and the simulator:
 * the partner `bill-partner` resells SKUs its ConnectWise already sells under its own catalog items (server.ts).
 * Setup goes through the API as the panel would; everything asserted is what the user sees.
 */
const PARTNER = 'bill-partner';
const SHOTS = '/work/helpers/shots';

type Rec = Record<string, unknown> & { id: number };
interface Account {
  accountId: string;
  accountName: string;
  version: number;
}

async function waitForRun(runId: string): Promise<{ status: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await apiCall<{ status: string }>(PARTNER, 'GET', `/partners/${PARTNER}/runs/${runId}`);
    if (!['queued', 'running'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const exportNow = async () => waitForRun((await apiCall<{ id: string }>(PARTNER, 'POST', `/partners/${PARTNER}/runs`)).id);

function accountFile(accountId: string): string {
  return join(server().platformDir, PARTNER, 'accounts', `${accountId}.json`);
}
function subscriptions(accountId: string): { sku: string; quantity: number; term?: string }[] {
  return (JSON.parse(readFileSync(accountFile(accountId), 'utf8')) as { subscriptions: { sku: string; quantity: number; term?: string }[] }).subscriptions;
}
function editSubscriptions(accountId: string, edit: (subs: { sku: string; quantity: number }[]) => void): void {
  const content = JSON.parse(readFileSync(accountFile(accountId), 'utf8')) as { subscriptions: { sku: string; quantity: number }[] };
  edit(content.subscriptions);
  writeFileSync(accountFile(accountId), JSON.stringify(content));
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await screenshot(page, name);
}

/** Signs in and waits for the landing screen: its route, chosen once the integration's status is read. */
async function openConsole(page: Page): Promise<void> {
  await signIn(page, PARTNER, 'Billing MSP');
  await expect(page).toHaveURL(/#\/management$/);
  await expect(page.getByRole('heading', { name: 'Management' })).toBeVisible();
}

let accounts: Account[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await apiCall(PARTNER, 'PUT', `/partners/${PARTNER}/integration/credentials`, { site: server().simUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' });
  await apiCall(PARTNER, 'PUT', `/partners/${PARTNER}/integration/settings`, {
    exportMode: 'manual',
    timeZone: 'UTC',
    disappearedSku: 'zero',
    data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: false },
    connectwiseDefaults: { catalogSubcategoryId: 1, productTypeId: 1, unitOfMeasureId: 1, agreementTypeId: 2, billingCycleId: 2 },
  });
  await apiCall(PARTNER, 'POST', `/partners/${PARTNER}/accounts/sync`);
  accounts = (await apiCall<{ items: Account[] }>(PARTNER, 'GET', `/partners/${PARTNER}/accounts?pageSize=50`)).items;
  // Companies named apart from every other partner's customers (the walk's suggestions must not find them).
  for (const [i, a] of accounts.entries()) {
    await apiCall(PARTNER, 'PUT', `/partners/${PARTNER}/accounts/${a.accountId}/mapping`, {
      version: a.version,
      createCompany: { name: `Zz billing test customer ${i + 1}`, identifier: `ZzBill${i + 1}`, city: 'Oslo' },
      createAgreement: {},
    });
  }
});

test('products: a SKU mapped to the catalog item suggested for it, at a fixed price, lands there after a run; the reconciliation view shows the line in step', async ({ page }) => {
  test.setTimeout(120_000);
  const account = accounts[0];
  const sku = subscriptions(account.accountId).find((s) => !s.term || s.term === 'monthly')?.sku ?? '';
  expect(sku).not.toBe('');
  const catalog = (await sim<{ collections: Record<string, Rec[]> }>('GET', '/__sim/state')).collections['procurement/catalog'];
  const mspItem = catalog.find((c) => c.vendorSku === sku);
  expect(mspItem).toBeDefined();

  await openConsole(page);
  await page.getByRole('link', { name: 'Products' }).click();
  await expect(page.getByRole('heading', { name: 'Products' })).toBeVisible();
  const row = page.locator(`tr[data-sku="${sku}"]`).first();
  await expect(row.locator('.suggestion')).toContainText(String(mspItem?.identifier));

  // A bad rule first: the API's error body is shown, field by field.
  await page.getByRole('button', { name: `Use suggestion for ${sku}` }).click();
  await expect(page.getByLabel(`Mapping of ${sku}`)).toHaveValue('item');
  await expect(page.getByLabel(`Catalog item for ${sku}`)).toHaveValue(String(mspItem?.id));
  await page.getByLabel(`Price rule of ${sku}`).selectOption('markup');
  await row.getByLabel('Markup %').fill('-500');
  await page.getByRole('button', { name: 'Save product mapping' }).click();
  await expect(page.getByRole('alert')).toContainText(/percent/);

  // Then a fixed price, saved.
  await page.getByLabel(`Price rule of ${sku}`).selectOption('fixed');
  await row.getByLabel('Unit price').fill('42.5');
  await page.getByRole('button', { name: 'Save product mapping' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Product mapping saved: 1 mapping/ })).toBeVisible();
  await expectAccessible(page, 'products');
  await shot(page, 'products');
  const stored = await apiCall<{ products: unknown[] }>(PARTNER, 'GET', `/partners/${PARTNER}/billing/products`);
  expect(stored.products).toEqual([{ sku, action: 'item', catalogItemId: mspItem?.id, price: { kind: 'fixed', amount: 42.5 } }]);

  expect(await exportNow()).toMatchObject({ status: 'succeeded' });

  // ConnectWise holds the line on the MSP's own item, at the rule's price.
  const state = await sim<{ collections: Record<string, Rec[]> }>('GET', '/__sim/state');
  const lines = state.collections['finance/agreements/additions'].filter((a) => (a.product as { id: number } | undefined)?.id === mspItem?.id);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => l.unitPrice === 42.5)).toBe(true);

  // The reconciliation view shows the line, in step.
  await page.getByRole('link', { name: 'Reconciliation' }).click();
  await expect(page.getByRole('heading', { name: 'Reconciliation' })).toBeVisible();
  await page.getByLabel('Account', { exact: true }).selectOption(account.accountId);
  const section = page.locator(`section.recon-account[data-account="${account.accountId}"]`);
  await expect(section).toBeVisible();
  const line = section.locator('tbody tr').filter({ hasText: sku });
  await expect(line).toContainText('42.50');
  await expect(line).not.toContainText('Differs');
  await expectAccessible(page, 'reconciliation');
  await shot(page, 'reconciliation');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const csv = readFileSync((await (await downloading).path()) ?? '', 'utf8');
  expect(csv).toContain(sku);
});

test('review: a decrease held by the recommended policy is approved in the queue, applied, gone from the queue, and in the audit CSV', async ({ page }) => {
  test.setTimeout(150_000);
  await openConsole(page);
  await page.getByRole('link', { name: 'Review queue' }).click();
  await expect(page.getByRole('heading', { name: 'Review queue' })).toBeVisible();
  await expect(page.getByText('Nothing waits for review.')).toBeVisible();
  await page.getByRole('button', { name: 'Recommended' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Review policy set to “Recommended”.' })).toBeVisible();
  await expect(page.getByLabel('Decreases')).toBeChecked();
  await expect(page.getByLabel('Increases')).not.toBeChecked();

  // The platform lowers one line: the next run holds it.
  const account = accounts[1];
  let sku = '';
  let from = 0;
  editSubscriptions(account.accountId, (subs) => {
    const sub = subs.find((s) => s.quantity >= 2) ?? subs[0];
    if (sub.quantity < 2) sub.quantity = 3; // (an increase applies by itself)
    sku = sub.sku;
    from = subs.filter((s) => s.sku === sku).reduce((n, s) => n + s.quantity, 0);
    sub.quantity -= 1;
  });
  expect(await exportNow()).toMatchObject({ status: 'succeeded' });
  // A first run may have raised it to 3: lower it once more so the queue has the decrease.
  if ((await apiCall<{ totals: { count: number } }>(PARTNER, 'GET', `/partners/${PARTNER}/review/changes`)).totals.count === 0) {
    from = subscriptions(account.accountId).filter((s) => s.sku === sku).reduce((n, s) => n + s.quantity, 0);
    editSubscriptions(account.accountId, (subs) => void (subs.find((s) => s.sku === sku && s.quantity > 0)!.quantity -= 1));
    expect(await exportNow()).toMatchObject({ status: 'succeeded' });
  }

  await page.reload();
  const what = `${account.accountName} ${sku}`;
  const row = page.locator('tr[data-change]').filter({ hasText: sku });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(account.accountName);
  await expect(row).toContainText('Decrease');
  await expect(row.locator('del').first()).toHaveText(String(from));
  await expect(row.locator('ins').first()).toHaveText(String(from - 1));
  await expect(page.locator('[data-total="count"]')).toHaveText('1');
  await expect(page.locator('[data-total="removed"]')).toHaveText(/^−/);
  await expectAccessible(page, 'review queue');
  await shot(page, 'review-queue');

  // Approve it, with the keyboard; apply the approved changes.
  await page.getByRole('button', { name: `Approve ${what}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `Approved: ${account.accountName} · ${sku}.` })).toBeVisible();
  await expect(page.getByText('Nothing waits for review.')).toBeVisible();
  await page.getByRole('button', { name: 'Apply approved (1)' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Approved changes applied: run succeeded/ })).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Status').selectOption('applied');
  await expect(page.locator('tr[data-change]').filter({ hasText: sku })).toContainText('Applied');

  // The audit trail names the decision.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the audit trail (CSV)' }).click();
  const csv = readFileSync((await (await downloading).path()) ?? '', 'utf8');
  const decided = csv.split('\n').filter((l) => l.includes(sku) && l.includes(account.accountId));
  expect(decided.some((l) => /approve/.test(l))).toBe(true);

  // ConnectWise has the new quantity.
  const state = await sim<{ collections: Record<string, Rec[]> }>('GET', '/__sim/state');
  expect(state.collections['finance/agreements/additions'].some((a) => a.quantity === from - 1)).toBe(true);
});

test('review: adjust one change and dismiss another in bulk; the policy editor refuses a bad threshold with the API reason', async ({ page }) => {
  test.setTimeout(150_000);
  const account = accounts[2];
  const skus: string[] = [];
  editSubscriptions(account.accountId, (subs) => {
    for (const s of subs.slice(0, 2)) {
      if (s.quantity < 2) s.quantity = 2;
    }
  });
  expect(await exportNow()).toMatchObject({ status: 'succeeded' });
  editSubscriptions(account.accountId, (subs) => {
    for (const s of subs.slice(0, 2)) {
      s.quantity -= 1;
      skus.push(s.sku);
    }
  });
  expect(await exportNow()).toMatchObject({ status: 'succeeded' });

  await openConsole(page);
  await page.getByRole('link', { name: 'Review queue' }).click();
  await page.getByLabel('Account', { exact: true }).selectOption(account.accountId);
  const rows = page.locator('tr[data-change]');
  await expect(rows).toHaveCount(2);
  await expect(page.locator('[data-total="count"]')).toHaveText('2');

  // Adjust the first: quantity and effective date.
  const first = `${account.accountName} ${skus[0]}`;
  await page.getByRole('button', { name: `Adjust ${first}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Quantity').fill('5');
  await dialog.getByLabel('Effective date').fill('2026-12-15');
  await expectAccessible(page, 'adjust dialog');
  await dialog.getByRole('button', { name: 'Approve as adjusted' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Adjusted: ${account.accountName} · ${skus[0]}.` })).toBeVisible();
  await expect(rows).toHaveCount(1);

  // Dismiss the other in bulk (select all, then Dismiss selected).
  await page.getByLabel('Select all changes on this page').check();
  await page.getByRole('button', { name: 'Dismiss selected' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Dismissed:' })).toBeVisible();
  await expect(page.getByText('Nothing waits for review.')).toBeVisible();
  await page.getByLabel('Status').selectOption('approved');
  await expect(rows.filter({ hasText: skus[0] })).toContainText('adjusted to 5');
  await expect(rows.filter({ hasText: skus[0] })).toContainText('effective 2026-12-15');
  await page.getByLabel('Status').selectOption('dismissed');
  await expect(rows.filter({ hasText: skus[1] })).toContainText('Dismissed');

  // The policy editor: the API's reason for a bad threshold, next to the form.
  await page.getByLabel('Price change threshold (%)').fill('-3');
  await page.getByRole('button', { name: 'Save review policy' }).click();
  await expect(page.locator('.policy').getByRole('alert')).toContainText(/priceThresholdPercent/);
  await page.getByLabel('Price change threshold (%)').fill('10');
  await page.getByRole('button', { name: 'Save review policy' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Review policy saved.' })).toBeVisible();
});

test('account billing: an exclusion with its reason, a price and an included quantity are saved and read back; a bad one shows the API reason', async ({ page }) => {
  const account = accounts[0];
  const sku = subscriptions(account.accountId)[0].sku;
  await openConsole(page);
  await page.getByRole('link', { name: 'Account billing' }).click();
  await page.getByLabel('Account', { exact: true }).selectOption(account.accountId);
  await expect(page.getByRole('button', { name: 'Add an exclusion' })).toBeVisible();
  await page.getByRole('button', { name: 'Add an exclusion' }).click();
  await page.getByLabel('SKU', { exact: true }).fill(sku);
  await page.getByLabel('Reason').fill('Paid by the parent company');
  await page.getByRole('button', { name: 'Add a price' }).click();
  await page.getByLabel('SKU (price 1)').fill(sku);
  await page.getByLabel('Price rule').selectOption('markup');
  await page.getByLabel('Markup %').fill('25');
  await page.getByRole('button', { name: 'Add an included quantity' }).click();
  await page.getByLabel('SKU (included 1)').fill(sku);
  await page.getByLabel('Included', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save account billing' }).click();
  await expect(page.getByRole('alert')).toContainText(/quantity/);
  await page.getByLabel('Included', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Save account billing' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Account billing saved' })).toBeVisible();
  await expectAccessible(page, 'account billing');
  await shot(page, 'account-billing');

  await page.reload();
  await expect(page.getByLabel('Reason')).toHaveValue('Paid by the parent company');
  await expect(page.getByLabel('Markup %')).toHaveValue('25');
  await expect(page.getByLabel('Included', { exact: true })).toHaveValue('2');
  const stored = await apiCall<{ version: number; exclusions: unknown[] }>(PARTNER, 'GET', `/partners/${PARTNER}/accounts/${account.accountId}/billing`);
  expect(stored).toMatchObject({ version: 1, exclusions: [{ sku, reason: 'Paid by the parent company' }] });
});

test('settings: SKUs without a mapping can be held until mapped; the Products screen says so', async ({ page }) => {
  await openConsole(page);
  await page.getByRole('link', { name: 'Products' }).click();
  await expect(page.getByText(/unmapped SKUs: create its own catalog item/)).toBeVisible();
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Step 2: Settings' })).toBeVisible();
  await page.getByLabel('A SKU with no product mapping (Products tab)').selectOption('hold');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Products' }).click();
  await expect(page.getByText(/unmapped SKUs: hold until mapped/)).toBeVisible();
  await expect(page.locator('tbody select[id$="-action"]').first().locator('option').first()).toHaveText('Default: hold until mapped');
  expect(await apiCall<{ unmappedSkus: string }>(PARTNER, 'GET', `/partners/${PARTNER}/billing/products`)).toMatchObject({ unmappedSkus: 'hold' });
});
