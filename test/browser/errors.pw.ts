import { expect, test, type Page } from '@playwright/test';
import { apiCall, expectAccessible, expiredSessionCookie, screenshot, server, signIn, sim } from './support';

async function credentials(page: Page, values: { site?: string; companyId?: string; publicKey: string; privateKey: string }): Promise<void> {
  await page.getByLabel('Site', { exact: true }).selectOption('custom');
  await page.getByLabel('Custom site').fill(values.site ?? server().simUrl);
  // Typed and submitted from the keyboard: every field is reachable with Tab, Enter submits.
  await page.getByLabel('Company ID').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(values.companyId ?? 'demo');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(values.publicKey);
  await page.keyboard.press('Tab');
  await page.keyboard.type(values.privateKey);
  await page.keyboard.press('Enter');
}

test.describe('the credentials step says what is wrong, next to the field', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, `errors-${test.info().title.replace(/\W+/g, '-').slice(0, 40)}`);
    await expect(page.getByRole('heading', { name: 'Step 1: ConnectWise credentials' })).toBeVisible();
  });

  test('wrong keys', async ({ page }) => {
    await credentials(page, { publicKey: 'demo-public', privateKey: 'not-the-key' });
    await expect(page.locator('#publicKey-error')).toContainText('rejected the public/private key pair');
    await expect(page.getByLabel('Public key')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Private key')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('button', { name: 'Next: Settings' })).toBeDisabled();
    await expectAccessible(page, 'credentials with wrong keys');
  });

  test('an unknown company', async ({ page }) => {
    await credentials(page, { companyId: 'nosuchco', publicKey: 'demo-public', privateKey: 'demo-private' });
    await expect(page.locator('#companyId-error')).toContainText('does not know the company id "nosuchco"');
  });

  test('a limited role lists the missing permissions', async ({ page }) => {
    await credentials(page, { publicKey: 'limited-public', privateKey: 'limited-private' });
    const missing = page.getByRole('list', { name: 'Missing permissions' });
    await expect(missing).toBeVisible();
    await expect(missing.getByRole('listitem').filter({ hasText: 'Finance › Agreements' }).first()).toBeVisible();
    await expectAccessible(page, 'credentials with missing permissions');
    await screenshot(page, 'credentials-missing-permissions');
  });

  test('a disallowed site', async ({ page }) => {
    await credentials(page, { site: 'https://connectwise.attacker.example', publicKey: 'demo-public', privateKey: 'demo-private' });
    await expect(page.locator('#site-error')).toContainText(/not allowed|allow-list|not a ConnectWise/i);
    await expect(page.getByLabel('Custom site')).toHaveAttribute('aria-invalid', 'true');
  });
});

test('an expired session says so', async ({ page, context }) => {
  await context.addCookies([await expiredSessionCookie('walk-partner')]);
  await page.goto(`${server().baseUrl}/console/`);
  await expect(page.getByRole('heading', { name: 'Your session has expired' })).toBeVisible();
  await expect(page.getByText('Open a new console link')).toBeVisible();
  await expectAccessible(page, 'expired session');
});

test('a run that fails shows it, in the progress, the history and the log; Disable says what is kept', async ({ page }) => {
  test.setTimeout(120_000);
  const partner = 'fail-partner';
  // Set up over the API, as the panel could.
  await apiCall(partner, 'PUT', `/partners/${partner}/integration/credentials`, { site: server().simUrl, companyId: 'demo', publicKey: 'demo-public', privateKey: 'demo-private' });
  const options = await apiCall<Record<string, { id: number }[]>>(partner, 'GET', `/partners/${partner}/integration/connectwise-options`);
  await apiCall(partner, 'PUT', `/partners/${partner}/integration/settings`, {
    exportMode: 'manual',
    timeZone: 'UTC',
    data: { products: true, quantity: true, cost: true, retailPrice: true, usersList: true },
    disappearedSku: 'zero',
    connectwiseDefaults: {
      catalogSubcategoryId: options.catalogSubcategories[0].id,
      productTypeId: options.productTypes[0].id,
      unitOfMeasureId: options.unitsOfMeasure[0].id,
      agreementTypeId: options.agreementTypes[0].id,
      billingCycleId: options.billingCycles[0].id,
    },
  });
  const { items } = await apiCall<{ items: { accountId: string; accountName: string; version: number }[] }>(partner, 'GET', `/partners/${partner}/accounts?state=unmapped`);
  for (const [i, row] of items.entries()) {
    await apiCall(partner, 'PUT', `/partners/${partner}/accounts/${row.accountId}/mapping`, { version: row.version, createCompany: { name: `Failing Customer ${i + 1}`, city: 'Springfield' }, createAgreement: {} });
  }
  // ConnectWise refuses to read the catalog for a while: the run's catalog phase fails.
  await sim('POST', '/__sim/fail-next', { method: 'GET', path: '/procurement/catalog', status: 400, count: 30, body: { code: 'InvalidObject', message: 'catalog unavailable for this test' } });

  await signIn(page, partner);
  await page.getByRole('link', { name: 'Management' }).click();
  await page.getByRole('button', { name: 'Start export now' }).click();
  await expect(page.locator('.progress-box')).toContainText('Export finished', { timeout: 90_000 });
  await expect(page.locator('.progress-box').getByText('Failed', { exact: true })).toBeVisible();
  await expect(page.locator('table.grid tbody tr').first()).toContainText('Failed');
  await expect(page.locator('.chart')).toBeVisible();
  // Use up the faults the run left, so that later tests see a healthy ConnectWise.
  for (let i = 0; i < 30; i++) {
    const answer = await fetch(`${server().simUrl}/v2025_1/apis/3.0/procurement/catalog`);
    if (!(await answer.text()).includes('catalog unavailable for this test')) break;
  }

  // Disable, with a confirmation that says what is kept.
  await page.getByRole('button', { name: 'Disable the integration…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable the integration?' });
  await expect(dialog).toContainText('Kept:');
  await expect(dialog).toContainText('everything in ConnectWise');
  await expectAccessible(page, 'disable confirmation');
  await screenshot(page, 'disable');
  await dialog.getByRole('button', { name: 'Disable', exact: true }).click();
  await expect(page.locator('.card').first()).toContainText('Disabled');
  await expect(page.getByRole('button', { name: 'Start export now' })).toBeDisabled();
});
