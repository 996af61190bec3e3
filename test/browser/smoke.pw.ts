import { expect, test } from '@playwright/test';
import { expectAccessible, panelToken, server } from './support';

test('a one-time link signs in once, leaves no code in the address bar, and the console opens on the first wizard step', async ({ page, browser }) => {
  const response = await fetch(`${server().baseUrl}/auth/console-codes`, { method: 'POST', headers: { authorization: `Bearer ${await panelToken('smoke-partner')}`, 'content-type': 'application/json' }, body: '{}' });
  const { url, code } = (await response.json()) as { url: string; code: string };
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Step 1: ConnectWise credentials' })).toBeVisible();
  expect(page.url()).not.toContain(code);
  // The session is an HttpOnly cookie: nothing in the page's storage.
  expect(await page.evaluate('JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage), document.cookie])')).toBe('[[],[],""]');
  await expectAccessible(page, 'credentials');
  // The same link a second time, in another browser: refused.
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(url);
  await expect(second.getByRole('heading', { name: 'This console link cannot be used' })).toBeVisible();
  await expectAccessible(second, 'used link');
  await other.close();
});
